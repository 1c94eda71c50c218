"""Reading a plan file: its text, whatever its format (plain text, HTML, Word, PDF), and the files of a folder."""
