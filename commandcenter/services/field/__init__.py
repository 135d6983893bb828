"""Field comms joined to the incident runtime: addressing, orders, ingest, sequencing (see ``field_service``)."""
