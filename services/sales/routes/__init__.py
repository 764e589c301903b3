"""HTTP routes of the sales service, one module per domain; endpoints stay thin."""
