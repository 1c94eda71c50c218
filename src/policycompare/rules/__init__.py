"""The rules as data: readers of the data files (role words, parts, metrics), the shared regular expressions, the gazetteer."""
