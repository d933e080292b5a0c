"""The weekly report and the continuity view it starts from: computed here once, for
`handover report`, `handover status`, the handover pack and the site's report pages."""
