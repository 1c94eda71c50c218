"""Writing the tables: CSV and Parquet (``tables``), the Excel workbook (``workbook``, ``xlsx``)."""
