"""The SSDA903 looked-after children return: its specification and reader, loader, exporter and validation rules."""
