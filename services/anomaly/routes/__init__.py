"""HTTP routes of the anomaly service (thin: validation by schemas, work in the service modules)."""
