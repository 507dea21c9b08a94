"""The DfE children in need census: its schemas, reader, loader, exporter and validation rules."""
