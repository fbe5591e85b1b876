"""Background work of the analytics tool: none. Events are rolled up as they arrive, in the
request that ingests them (services.analytics_events_ingest); a rebuild is the
`analytics_rebuild` management command."""
