"""Anomaly service: datasets, detectors, training, detection, streaming, feedback."""
