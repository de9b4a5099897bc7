"""Reports of a conformance run: the summary table, JSON and JUnit XML."""
