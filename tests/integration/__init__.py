"""End-to-end tests: real pages (dev, dev2), whole runs, notebooks, bad input, portability, scripts."""
