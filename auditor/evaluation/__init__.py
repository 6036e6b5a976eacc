"""Quality measurements of the checks on the development data (not run by the test suite)."""
