"""Labels of the site and the handover pack, in the knowledge base's language.

French and English are complete; any other language falls back to English. A label
missing from a language falls back to English, then to the key itself.
"""

from __future__ import annotations

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
    "never_reviewed": "never reviewed", "review_due": "next review by",
    "referenced_by": "Mentioned in", "holds_title": "Holds", "rules_title": "Rules",
    "applied_by": "Applied by these responses", "text_title": "Text to copy", "filter": "Filter…",
    "fits": "fits", "characters": "characters", "limit": "limit", "too_long": "too long",
    "timeline": "Timeline", "problems_title": "Validation", "problems_summary": "errors and warnings: see `handover validate`",
    "missing": "missing", "computed": "computed", "in_days": "in {days} days",
    "severity_n": "severity {n}", "rules_count": "rules", "all_rules": "All rules",
    "kb_guide": "Guides and reference", "responsible": "Responsible", "facts": "Record", "records_word": "records",
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
    "never_reviewed": "jamais relue", "review_due": "prochaine relecture avant le",
    "referenced_by": "Mentionné dans", "holds_title": "Responsabilités", "rules_title": "Règles",
    "applied_by": "Appliquée par ces réponses", "text_title": "Texte à copier", "filter": "Filtrer…",
    "fits": "tient", "characters": "caractères", "limit": "limite", "too_long": "trop long",
    "timeline": "Chronologie", "problems_title": "Validation", "problems_summary": "erreurs et avertissements : voir `handover validate`",
    "missing": "manquant", "computed": "calculé", "in_days": "dans {days} jours",
    "severity_n": "sévérité {n}", "rules_count": "règles", "all_rules": "Toutes les règles",
    "kb_guide": "Guides et référence", "responsible": "Responsable", "facts": "Fiche", "records_word": "fiches",
}

LANGUAGES = {"en": EN, "fr": FR}


class Labels:
    """`labels["status"]` → the label in the knowledge base's language."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else "en"
        self._table = LANGUAGES[self.language]

    def __getitem__(self, key: str) -> str:
        return self._table.get(key) or EN.get(key) or key

    def value(self, value: str) -> str:
        """An enum value (status, stance…) as a reader would say it."""
        return self._table.get(value) or EN.get(value) or value
