"""Background jobs: slow work (PDF conversion, a round's zip, checking old reports) run by workers."""
