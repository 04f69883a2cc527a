"""A fuzzing harness: damaged copies of the synthetic sample PDFs must read right or be refused in one line."""
