"""The Standard Safeguarding Dataset (SSD) extract: its tables and reader, and its loader."""
