"""Helpers shared by the test suites: word and PDF builders, truth checks, stores, sites, receivers."""
