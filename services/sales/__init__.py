"""Sales service: clients, deals, payments, commissions, notifications (contract §4)."""
