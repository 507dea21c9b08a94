"""The DfE's CIN census validation rules, by the part of the return they check."""
