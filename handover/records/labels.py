"""Labels of the site and the handover pack, in the knowledge base's language.

French and English are complete; any other language falls back to English. A label
missing from a language falls back to English, then to the key itself.
"""

from __future__ import annotations

import datetime as dt

from handover.records.dates import long_date  # the one date writer; also used here as labels.long_date

EN: dict[str, str] = {
    # kinds (plural, as menu entries)
    "kind.team": "Team", "kind.accounts": "Accounts", "kind.contacts": "Contacts",
    "kind.influencers": "Influencers", "kind.charter": "Charter", "kind.responses": "Canned responses",
    "kind.incidents": "Incidents",
    "one.team": "Team member", "one.accounts": "Account", "one.contacts": "Contact",
    "one.influencers": "Influencer", "one.charter": "Charter document", "one.responses": "Canned response",
    "one.incidents": "Incident",
    # fields
    "name": "Name", "role": "Role", "email": "Email", "phone": "Phone", "mobile": "Mobile", "chat": "Chat",
    "start": "Start", "end": "End of contract", "status": "Status", "successor": "Successor",
    "languages": "Languages", "language": "Language", "notes": "Notes", "platform": "Platform",
    "handle": "Handle", "url": "Address", "purpose": "Purpose", "backup": "Backup", "cadence": "Cadence",
    "credentials": "Credentials", "manager": "Password manager", "entry": "Entry", "shared_with": "Shared with",
    "two_factor": "Two-factor authentication", "method": "Method", "holder": "Held by", "device": "Device",
    "recovery_email": "Recovery email", "address": "Address", "audience": "Audience", "followers": "Followers",
    "as_of": "as of", "best_times": "Best times", "organization": "Organization", "department": "Department",
    "channels": "Channels", "escalate_for": "Escalate for", "availability": "Availability",
    "out_of_hours": "Out of hours", "last_contact": "Last contact", "retain_until": "Keep data until",
    "handles": "Handles", "stance": "Stance", "stage": "Relationship", "topics": "Topics", "tier": "Tier",
    "title": "Title", "version": "Version", "approved_by": "Approved by", "approved_on": "Approved on",
    "summary": "Summary", "when": "When to use it", "platforms": "Platforms", "charter": "Charter rules applied",
    "variables": "Variables", "reply_in": "Reply in", "escalate_to": "Alert", "started": "Started",
    "ended": "Ended", "severity": "Severity", "accounts": "Accounts", "people": "People",
    "responses": "Responses used", "actions": "Follow-up actions", "action": "Action", "due": "Due",
    "done": "Done", "owner": "Owner", "reviewed_on": "Last reviewed", "review_every": "Review every",
    "tags": "Tags", "visibility": "Visibility", "description": "Description", "default": "Default",
    "fallback": "Fallback", "url_short": "Link",
    # values
    "active": "active", "leaving": "leaving", "left": "left", "dormant": "dormant", "archived": "archived",
    "smo": "social media optimisation", "community": "community", "social-crm": "social CRM",
    "ambassador": "ambassador", "neutral": "neutral", "critic": "critic", "draft": "draft",
    "approved": "approved", "open": "open", "monitoring": "monitoring", "closed": "closed",
    "public": "public", "private": "private messages", "both": "public, then private",
    "yes": "yes", "no": "no",
    # page texts
    "sample_dated": "Sample knowledge base, dated {date}: its dates are judged as of that day.",
    "home": "Home", "dashboard": "Continuity dashboard", "guide": "Guide", "tags_page": "Tags",
    "leaving_title": "Leaving soon", "leaving_none": "Nobody is leaving within the window.",
    "leaves_on": "leaves on", "holds": "still holds", "no_successor": "no successor named",
    "successor_named": "successor", "open_incidents": "Open incidents", "none": "None.",
    "stale_title": "Records to review", "drafts_title": "Drafts awaiting approval",
    "accounts_title": "Accounts and who feeds them", "overdue_since": "overdue since",
    "last_post": "Last post", "pulse": "Posts a week, last 12 weeks", "feed": "Feed",
    "never_reviewed": "never reviewed", "review_due": "next review by",
    "referenced_by": "Mentioned in", "holds_title": "Holds", "rules_title": "Rules",
    "applied_by": "Applied by these responses", "text_title": "Text to copy", "filter": "Filter…",
    "fits": "fits", "characters": "characters", "limit": "limit", "too_long": "too long",
    "timeline": "Timeline", "problems_title": "Validation", "problems_summary": "errors and warnings: see `handover validate`",
    "missing": "missing", "computed": "computed", "in_days": "in {days} days",
    "severity_n": "severity {n}", "rules_count": "rules", "all_rules": "All rules",
    "kb_guide": "Guides and reference", "responsible": "Responsible", "facts": "Record", "records_word": "records",
    "field": "Field", "value": "Value", "record": "Record", "on_this_page": "On this page",
    "draft_notice": "Draft: this text is not approved yet; do not send it as it is.",
    "public_home": "The public part of the knowledge base: the accounts the community can follow, and what is going on.",
    "open_incidents_public": "Incidents in progress",
    # departures and relationships
    "kind.departures": "Departure checklists", "one.departures": "Departure checklist",
    "person": "Person", "steps": "Steps", "id": "Step", "state": "State", "after_end": "After the last day", "by": "By",
    "date": "Date", "why": "Why", "decided_by": "Decided by", "note": "Note", "todo": "to do", "waived": "waived",
    "interactions": "Exchanges", "channel": "Channel", "who": "Who",
    "checklist_title": "Departure checklist", "checklist_count": "{done} of {total} steps done or waived, {open} open",
    "checklist_late": "the last day is over: each open step keeps the status red",
    "checklist_how": "Tick a step: handover checklist {person} --done STEP --by ID (or --waive STEP --why TEXT --by ID).",
    "no_holder": "will have nobody", "to_revoke": "access to revoke (the account keeps its holders)",
    "last_exchanges": "Last exchanges", "derived_last_contact": "last contact (from the log)",
    "silent_since": "silent longer than its {days}-day interval",
    # the weekly report (handover report, the site's reports)
    "reports": "Reports", "report.title": "Weekly report {label}", "report.span": "From {start} to {end}",
    "report.animation": "Account activity", "report.account": "Account", "report.owner": "Owner",
    "report.backup": "Backup", "report.cadence": "Cadence", "report.alerts": "Watch", "report.incidents": "Incidents",
    "report.opened": "Opened", "report.closed": "Closed", "report.still_open": "Still open",
    "report.actions_done": "Follow-up actions done", "report.actions_overdue": "Overdue follow-up actions",
    "report.due": "due", "report.relationships": "Relationships", "report.contacted": "Contacted this week",
    "report.silent": "Key relationships gone silent", "report.last": "last contact",
    "report.upkeep": "Knowledge upkeep", "report.reviewed": "Records reviewed",
    "report.review_overdue": "Reviews overdue", "report.since": "since",
    "report.changed": "Charter and canned responses changed", "report.by": "by", "report.team": "Team",
    "report.leaving": "Leaving soon", "report.leaves": "leaves on", "report.holds": "still holds",
    "report.successor": "successor", "report.none": "Nothing.", "report.notes": "Notes",
    "report.no_activity": "Posts per account are not counted yet: this list says who feeds what, and how often.",
    "report.added": "added", "report.changed_status": "changed", "report.removed": "removed",
    "report.quiet": "Quiet accounts", "report.posts": "{n} post(s) in the period",
    "report.rate4": "{rate} a week over 4 weeks", "report.quiet_since": "quiet since {date}",
    "report.chart": "Posts per week over 12 weeks, and the planned cadence", "report.weeks_word": "week",
    "report.noise": "Noise against competitors", "report.noise_span": "Mentions in the period",
    "report.noise_weeks": "Mentions per week over 12 weeks", "report.brand": "brand", "report.week": "Week",
    "report.noise_feeds": "Watch feeds", "report.noise_none": "No watch feed is configured. Name the brand, its competitors "
    "and feeds that mention them (news alerts, a Mastodon tag feed, a forum's search feed) in the watch group of handover.yml, "
    "and let handover pulse --fetch read them every day (README: The weekly report).",
    "report.role.owner": "owner", "report.role.backup": "backup", "report.alert.nobody": "no {role}",
    "report.alert.leaving": "{person} ({role}) leaves on {date}", "report.alert.leaving_undated": "{person} ({role}) is leaving",
    "report.alert.unknown": "{person} ({role}) is not on the team", "report.alert.gone": "{person} ({role}) has left",
    "report.no_owner": "no owner", "report.no_successor": "no successor named",
    "report.alert.same": "owner and backup are the same person", "report.holds_n": "still holds {n}",
    "report.version": "version {version}", "report.by_owner": "By owner",
    "report.more": "… and {n} more (handover report --format json for the full list)",
    "report.more_owners": "{n} other owners ({items} in all)",
    "report.note.no_history": "no git history for this span: the follow-up actions done and the changes to the charter "
    "and canned responses are not shown",
    "report.note.detached": "the repository is on no branch (commit {head}): history is read from that commit",
    "report.note.shallow": "this git clone is incomplete: older history is missing (git fetch --unshallow fetches it)",
    "report.feed.unread": "watch feed \"{feed}\" has not been read yet: run handover pulse --fetch",
    "report.feed.failed": "watch feed \"{feed}\" ({url}) failed on its last reading{since}: {error}; its mentions from earlier readings are kept",
    "report.feed.since": " (failing since {date})", "report.feed.unreadable": "{file} cannot be read ({problem}): mentions are not counted",
    "per.day": "a day", "per.week": "a week", "per.month": "a month", "per.quarter": "a quarter", "per.year": "a year",
    # the kind of a search result that is no record (searchdocs.py)
    "search_rule": "Charter rule", "search_page": "Guide",
}

FR: dict[str, str] = {
    "kind.team": "Équipe", "kind.accounts": "Comptes", "kind.contacts": "Contacts",
    "kind.influencers": "Influenceurs", "kind.charter": "Charte", "kind.responses": "Réponses types",
    "kind.incidents": "Incidents",
    "one.team": "Membre de l'équipe", "one.accounts": "Compte", "one.contacts": "Contact",
    "one.influencers": "Influenceur", "one.charter": "Document de charte", "one.responses": "Réponse type",
    "one.incidents": "Incident",
    "name": "Nom", "role": "Rôle", "email": "E-mail", "phone": "Téléphone", "mobile": "Portable", "chat": "Messagerie",
    "start": "Arrivée", "end": "Fin de contrat", "status": "Statut", "successor": "Successeur",
    "languages": "Langues", "language": "Langue", "notes": "Notes", "platform": "Plateforme",
    "handle": "Identifiant", "url": "Adresse", "purpose": "Rôle du compte", "backup": "Suppléant", "cadence": "Cadence",
    "credentials": "Identifiants", "manager": "Gestionnaire de mots de passe", "entry": "Entrée", "shared_with": "Partagée avec",
    "two_factor": "Double authentification", "method": "Méthode", "holder": "Détenue par", "device": "Appareil",
    "recovery_email": "E-mail de récupération", "address": "Adresse", "audience": "Audience", "followers": "Abonnés",
    "as_of": "au", "best_times": "Meilleurs créneaux", "organization": "Organisation", "department": "Service",
    "channels": "Joindre", "escalate_for": "Escalade pour", "availability": "Disponibilité",
    "out_of_hours": "Hors horaires", "last_contact": "Dernier contact", "retain_until": "Données conservées jusqu'au",
    "handles": "Comptes", "stance": "Positionnement", "stage": "Relation", "topics": "Sujets", "tier": "Catégorie",
    "title": "Titre", "version": "Version", "approved_by": "Validé par", "approved_on": "Validé le",
    "summary": "Résumé", "when": "Quand l'utiliser", "platforms": "Plateformes", "charter": "Règles de la charte appliquées",
    "variables": "Variables", "reply_in": "Répondre", "escalate_to": "Prévenir", "started": "Début",
    "ended": "Fin", "severity": "Sévérité", "accounts": "Comptes", "people": "Personnes",
    "responses": "Réponses utilisées", "actions": "Actions de suivi", "action": "Action", "due": "Échéance",
    "done": "Fait", "owner": "Responsable", "reviewed_on": "Dernière relecture", "review_every": "Relire tous les",
    "tags": "Étiquettes", "visibility": "Visibilité", "description": "Description", "default": "Par défaut",
    "fallback": "Valeur de repli", "url_short": "Lien",
    "active": "actif", "leaving": "sur le départ", "left": "parti", "dormant": "en sommeil", "archived": "archivé",
    "smo": "visibilité (SMO)", "community": "communauté", "social-crm": "relation client (social CRM)",
    "ambassador": "ambassadeur", "neutral": "neutre", "critic": "critique", "draft": "brouillon",
    "approved": "validée", "open": "ouvert", "monitoring": "sous surveillance", "closed": "clos",
    "public": "en public", "private": "en message privé", "both": "en public puis en privé",
    "yes": "oui", "no": "non",
    "legal": "juridique", "customer-service": "service client", "press": "presse", "product": "produit",
    "hr": "RH", "it-security": "sécurité informatique", "marketing": "marketing", "management": "direction",
    "logistics": "logistique", "finance": "finance", "media": "média", "agency": "agence", "partner": "partenaire",
    "other": "autre", "refund": "remboursement", "delivery": "livraison", "warranty": "garantie",
    "safety": "sécurité produit", "recall": "rappel produit", "outage": "panne", "security": "sécurité informatique",
    "privacy": "données personnelles", "crisis": "crise", "partnership": "partenariat", "harassment": "harcèlement",
    "identified": "repéré", "contacted": "contacté", "engaged": "en relation", "paused": "en pause",
    "do-not-contact": "ne pas contacter", "app": "application", "sms": "SMS", "security-key": "clé de sécurité",
    "nano": "nano", "micro": "micro", "mid": "intermédiaire", "macro": "macro", "mega": "méga",
    "sample_dated": "Base de connaissances d'exemple, datée du {date} : ses dates sont jugées à ce jour-là.",
    "home": "Accueil", "dashboard": "Tableau de bord de la continuité", "guide": "Guide", "tags_page": "Étiquettes",
    "leaving_title": "Départs à venir", "leaving_none": "Personne ne part dans les semaines qui viennent.",
    "leaves_on": "part le", "holds": "détient encore", "no_successor": "aucun successeur désigné",
    "successor_named": "successeur", "open_incidents": "Incidents en cours", "none": "Aucun.",
    "stale_title": "Fiches à relire", "drafts_title": "Brouillons à valider",
    "accounts_title": "Les comptes et qui les anime", "overdue_since": "en retard depuis le",
    "last_post": "Dernière publication", "pulse": "Publications par semaine, 12 semaines", "feed": "Flux",
    "never_reviewed": "jamais relue", "review_due": "prochaine relecture avant le",
    "referenced_by": "Mentionné dans", "holds_title": "Responsabilités", "rules_title": "Règles",
    "applied_by": "Appliquée par ces réponses", "text_title": "Texte à copier", "filter": "Filtrer…",
    "fits": "tient", "characters": "caractères", "limit": "limite", "too_long": "trop long",
    "timeline": "Chronologie", "problems_title": "Validation", "problems_summary": "erreurs et avertissements : voir `handover validate`",
    "missing": "manquant", "computed": "calculé", "in_days": "dans {days} jours",
    "severity_n": "sévérité {n}", "rules_count": "règles", "all_rules": "Toutes les règles",
    "kb_guide": "Guides et référence", "responsible": "Responsable", "facts": "Fiche", "records_word": "fiches",
    "field": "Champ", "value": "Valeur", "record": "Fiche", "on_this_page": "Sur cette page",
    "draft_notice": "Brouillon : ce texte n'est pas encore validé, ne l'envoyez pas tel quel.",
    "public_home": "La partie publique de la base : les comptes que la communauté peut suivre et ce qui se passe en ce moment.",
    "open_incidents_public": "Incidents en cours",
    "kind.departures": "Listes de départ", "one.departures": "Liste de départ",
    "person": "Personne", "steps": "Étapes", "id": "Étape", "state": "État", "after_end": "Après le dernier jour", "by": "Par",
    "date": "Date", "why": "Pourquoi", "decided_by": "Décidé par", "note": "Note", "todo": "à faire", "waived": "sans objet",
    "interactions": "Échanges", "channel": "Canal", "who": "Qui",
    "checklist_title": "Liste de départ", "checklist_count": "{done} étape(s) sur {total} faites ou sans objet, {open} à faire",
    "checklist_late": "le dernier jour est passé : chaque étape ouverte garde le statut au rouge",
    "checklist_how": "Cocher une étape : handover checklist {person} --done ÉTAPE --by ID (ou --waive ÉTAPE --why TEXTE --by ID).",
    "no_holder": "n'aura plus personne", "to_revoke": "accès à retirer (le compte garde ses responsables)",
    "last_exchanges": "Derniers échanges", "derived_last_contact": "dernier contact (d'après le journal)",
    "silent_since": "silencieuse depuis plus que son intervalle de {days} jours",
    # the weekly report (handover report, the site's reports)
    "reports": "Rapports", "report.title": "Rapport de la semaine {label}", "report.span": "Du {start} au {end}",
    "report.animation": "Animation des comptes", "report.account": "Compte", "report.owner": "Responsable",
    "report.backup": "Suppléant", "report.cadence": "Rythme", "report.alerts": "À surveiller",
    "report.incidents": "Incidents", "report.opened": "Ouverts", "report.closed": "Clos",
    "report.still_open": "Toujours ouverts", "report.actions_done": "Actions de suivi faites",
    "report.actions_overdue": "Actions de suivi en retard", "report.due": "pour le",
    "report.relationships": "Relations", "report.contacted": "Contactés cette semaine",
    "report.silent": "Relations clés sans nouvelles", "report.last": "dernier contact le",
    "report.upkeep": "Entretien des connaissances", "report.reviewed": "Fiches relues",
    "report.review_overdue": "Relectures en retard", "report.since": "depuis le",
    "report.changed": "Charte et réponses types modifiées", "report.by": "par", "report.team": "Équipe",
    "report.leaving": "Départs à venir", "report.leaves": "part le", "report.holds": "détient encore",
    "report.successor": "successeur", "report.none": "Aucun élément.", "report.notes": "Remarques",
    "report.no_activity": "Le nombre de publications par compte n'est pas encore relevé : cette liste donne qui anime quoi, et à quel rythme.",
    "report.added": "ajoutée", "report.changed_status": "modifiée", "report.removed": "supprimée",
    "report.quiet": "Comptes silencieux", "report.posts": "{n} publication(s) sur la période",
    "report.rate4": "{rate} par semaine sur 4 semaines", "report.quiet_since": "silencieux depuis le {date}",
    "report.chart": "Publications par semaine sur 12 semaines, et le rythme prévu", "report.weeks_word": "semaine",
    "report.noise": "Le bruit face aux concurrents", "report.noise_span": "Mentions sur la période",
    "report.noise_weeks": "Mentions par semaine sur 12 semaines", "report.brand": "marque", "report.week": "Semaine",
    "report.noise_feeds": "Flux de veille", "report.noise_none": "Aucun flux de veille n'est configuré. Nommez la marque, "
    "ses concurrents et des flux qui en parlent (alertes presse, flux d'un hashtag Mastodon, recherche d'un forum) dans le "
    "groupe watch de handover.yml, et laissez handover pulse --fetch les lire chaque jour (README, section « The weekly report »).",
    "report.role.owner": "responsable", "report.role.backup": "suppléant", "report.alert.nobody": "aucun {role}",
    "report.alert.leaving": "{person} ({role}) part le {date}", "report.alert.leaving_undated": "{person} ({role}) est sur le départ",
    "report.alert.unknown": "{person} ({role}) n'est pas dans l'équipe", "report.alert.gone": "{person} ({role}) a quitté l'équipe",
    "report.no_owner": "sans responsable", "report.no_successor": "aucun successeur désigné",
    "report.alert.same": "une seule personne est responsable et suppléant", "report.holds_n": "détient encore {n} élément(s)",
    "report.version": "version {version}", "report.by_owner": "Par responsable",
    "report.more": "… et {n} autres (handover report --format json pour la liste complète)",
    "report.more_owners": "{n} autres responsables ({items} au total)",
    "report.note.no_history": "pas d'historique git pour cette période : les actions de suivi faites et les modifications "
    "de la charte et des réponses types ne sont pas montrées",
    "report.note.detached": "le dépôt n'est sur aucune branche (commit {head}) : l'historique est lu à partir de ce commit",
    "report.note.shallow": "ce clone git est incomplet : l'historique ancien manque (git fetch --unshallow le récupère)",
    "report.feed.unread": "le flux de veille « {feed} » n'a pas encore été lu : lancez handover pulse --fetch",
    "report.feed.failed": "la dernière lecture du flux de veille « {feed} » ({url}) a échoué{since} : {error} ; "
    "ses mentions des lectures précédentes sont gardées",
    "report.feed.since": " (en échec depuis le {date})", "report.feed.unreadable": "{file} est illisible ({problem}) : les mentions ne sont pas comptées",
    "per.day": "par jour", "per.week": "par semaine", "per.month": "par mois", "per.quarter": "par trimestre", "per.year": "par an",
    "search_rule": "Règle de la charte", "search_page": "Guide",
}

LANGUAGES = {"en": EN, "fr": FR}


def sentence(text: str) -> str:
    """`text` starting with a capital letter, as a sentence does."""
    return text[:1].upper() + text[1:]


class Labels:
    """`labels["status"]` → the label in the knowledge base's language."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else "en"
        self._table = LANGUAGES[self.language]

    def __getitem__(self, key: str) -> str:
        return self._table.get(key) or EN.get(key) or key

    def date(self, day: dt.date) -> str:
        """A date inside a sentence, as this language writes it (`long_date`)."""
        return long_date(day, self.language)

    def group(self, prefix: str) -> dict[str, str]:
        """The labels under `prefix.` (e.g. "report"), keys without it, English filling gaps."""
        start = prefix + "."
        return {key[len(start):]: self[key] for key in EN if key.startswith(start)}

    @property
    def colon(self) -> str:
        """A colon as the language writes it after a label: ` :` in French, `:` in English."""
        return " :" if self.language == "fr" else ":"

    @property
    def semicolon(self) -> str:
        """` ;` in French, `;` in English."""
        return " ;" if self.language == "fr" else ";"

    def number(self, count: int) -> str:
        """`1 385` in French (a narrow no-break space), `1,385` in English."""
        return f"{count:,}".replace(",", "\u202f") if self.language == "fr" else f"{count:,}"

    def cadence(self, value: str) -> str:
        """`3/week` as a reader says it: `3 par semaine`, `3 a week` (anything else as written)."""
        count, _, unit = value.partition("/")
        per = self._table.get(f"per.{unit}") or EN.get(f"per.{unit}")
        return f"{count} {per}" if count.isdigit() and per else value

    def value(self, value: str) -> str:
        """An enum value (status, stance…) as a reader would say it."""
        return self._table.get(value) or EN.get(value) or value
