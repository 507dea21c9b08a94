"""Ofsted's Annex A workbook: its template and reader, loader and exporter."""
