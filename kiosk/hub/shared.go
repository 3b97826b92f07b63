package hub

// share sets up what every hub on one database shares: guess counts and
// device rates (in the database), presence (this process's name in it),
// and on PostgreSQL, unless Options.Broker names another, events over
// LISTEN/NOTIFY.
func (h *Hub) share() {
	h.logins = throttle{db: h.DB, kind: "login", log: h.log}
	h.enrolls = throttle{db: h.DB, kind: "enroll", log: h.log}
	h.reportLimit = deviceBuckets{db: h.DB, kind: "report", rate: reportRate}
	h.usageLimit = deviceBuckets{db: h.DB, kind: "usage", rate: usageRate}
	h.soundLimit = deviceBuckets{db: h.DB, kind: "sound", rate: soundRate}
	h.incidentLimit = deviceBuckets{db: h.DB, kind: "incidents", rate: incidentRate}
	h.presence.hubID = newHubID()
	if h.broker == nil && h.dialect == Postgres {
		h.broker = NewPGBroker(h.opts.Database, h.DB, h.log)
	}
}
