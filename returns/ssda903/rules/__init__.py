"""The DfE's SSDA903 validation rules, by the part of the return they check."""
