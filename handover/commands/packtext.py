"""The words of HANDOVER.md, in French and English, agreed as a reader expects them
(« Aucune. » for a fiche, « Aucun. » for an incident; « détenue par » for the double
authentification, « lue par » for an adresse)."""

from __future__ import annotations

PACK_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title_person": "Handover of {name}", "title_team": "Handover pack of {community}",
        "generated": "Made on {today}{commit} by `handover export`. Open `site/index.html` for the whole knowledge base (search works offline).",
        "from_commit": ", from commit `{commit}`",
        "checklist": "Departure checklist", "checklist_count": "{open} of {total} steps still to do ({done} done or waived).",
        "checklist_late": "**The last day is over**: `handover status` stays red until each step is done or waived.",
        "checklist_how": "Tick a step when it is done: `handover checklist {person} --done STEP --by ID`; one that is not needed: `--waive STEP --why \"…\" --by ID`.",
        "checklist_done": "Already done or waived", "after_end": "after the last day", "step_done": "done by {by} on {date}",
        "step_waived": "waived by {by} on {date}: {why}", "checklist_none": "No step: they hold nothing and no checklist is kept.",
        "orphaned": "Will be orphaned: nobody is named to take it", "orphaned_none": "Nothing: every item has someone named to take it.",
        "to_successor": "Goes to {successor} (run `handover transfer {person} {successor}`)",
        "revoke": "Access to revoke: the account keeps its holders",
        "revoke_intro": "{name} can open these logins though someone else holds the account: remove that access from the vault entry and the platform's tools.",
        "accounts": "Accounts", "as_role": "as {roles}", "credentials_where": "Credentials", "no_credentials": "not recorded",
        "two_factor": "Second factor", "recovery": "Recovery address", "cadence": "Cadence", "not_fed": "not fed on a cadence",
        "held_by_2fa": "held by", "held_by_recovery": "read by",
        "relationships": "Relationships", "last_contact": "last contact", "never": "never recorded",
        "incidents": "Open incidents", "drafts": "Drafts awaiting approval", "stale": "Records overdue for review",
        "actions_all": "Open follow-up actions, all incidents", "overdue": "**overdue**", "due": "due {due}", "owner_is": "owner {owner}",
        "review_due": "review due {due}",
        "changes": "Changes over the stay (git)", "changes_none": "No change recorded in git.", "changes_unavailable": "Not available: {why}",
        "none_m": "None.", "none_f": "None.", "people": "People leaving", "orphans_all": "Orphaned now",
        "holds_nothing": "holds nothing", "leaves": "leaves on {end}", "left": "has left", "open_steps": "{count} checklist step(s) open",
        "shared_with": "vault access", "method": "method", "device": "device", "owner": "owner", "backup": "backup",
        "find_title": "Finding the response for a situation, offline",
        "find": ("1. Open `site/index.html` in a browser (no connection needed) and type the situation in the search box, "
                 "in the words of the message (\"refund\", \"hacked account\", \"journalist\"): canned responses come with the "
                 "charter rules they apply.\n"
                 "2. Or open `site/responses/index.html`: the table lists every response with its language, platforms and "
                 "the rules it applies; the filter box keeps the lines holding a word (accents ignored), e.g. \"tiktok\". "
                 "Each page lists, under \"When to use it\", the situations the response answers.\n"
                 "3. On a response's page, the text to copy comes first, then its variables and whether it fits each platform.\n"
                 "4. With handover installed and the knowledge base (`repository.bundle`): `handover triage \"the message\"` "
                 "ranks the responses, names the rules and whom to alert.\n"),
    },
    "fr": {
        "title_person": "Passation de {name}", "title_team": "Dossier de passation de {community}",
        "generated": "Établi le {today}{commit} par `handover export`. Ouvrez `site/index.html` pour toute la base de connaissances (la recherche marche hors ligne).",
        "from_commit": ", à partir du commit `{commit}`",
        "checklist": "Liste de départ", "checklist_count": "{open} étape(s) sur {total} encore à faire ({done} faite(s) ou sans objet).",
        "checklist_late": "**Le dernier jour est passé** : `handover status` reste au rouge tant qu'une étape n'est ni faite ni déclarée sans objet.",
        "checklist_how": "Cochez une étape faite : `handover checklist {person} --done ÉTAPE --by ID` ; une étape sans objet : `--waive ÉTAPE --why \"…\" --by ID`.",
        "checklist_done": "Déjà fait ou sans objet", "after_end": "après le dernier jour", "step_done": "fait par {by} le {date}",
        "step_waived": "sans objet, décidé par {by} le {date} : {why}", "checklist_none": "Aucune étape : rien n'est détenu et aucune liste n'est tenue.",
        "orphaned": "Deviendra orphelin : personne n'est désigné pour le reprendre", "orphaned_none": "Rien : chaque élément a un repreneur désigné.",
        "to_successor": "Repris par {successor} (lancer `handover transfer {person} {successor}`)",
        "revoke": "Accès à retirer : le compte garde ses responsables",
        "revoke_intro": "{name} peut ouvrir ces identifiants alors que d'autres tiennent le compte : retirer cet accès de l'entrée du coffre et des outils de la plateforme.",
        "accounts": "Comptes", "as_role": "comme {roles}", "credentials_where": "Identifiants", "no_credentials": "non renseignés",
        "two_factor": "Double authentification", "recovery": "Adresse de récupération", "cadence": "Rythme", "not_fed": "pas de rythme de publication",
        "held_by_2fa": "détenue par", "held_by_recovery": "lue par",
        "relationships": "Relations", "last_contact": "dernier contact le", "never": "jamais renseigné",
        "incidents": "Incidents en cours", "drafts": "Brouillons à faire valider", "stale": "Fiches à relire",
        "actions_all": "Actions de suivi ouvertes, tous incidents confondus", "overdue": "**en retard**", "due": "échéance le {due}",
        "owner_is": "responsable : {owner}", "review_due": "relecture due le {due}",
        "changes": "Changements pendant son passage (git)", "changes_none": "Aucun changement enregistré dans git.",
        "changes_unavailable": "Indisponible : {why}", "none_m": "Aucun.", "none_f": "Aucune.", "people": "Départs", "orphans_all": "Orphelins dès maintenant",
        "holds_nothing": "ne détient rien", "leaves": "part le {end}", "left": "est parti·e", "open_steps": "{count} étape(s) de sa liste de départ à faire",
        "shared_with": "accès au coffre", "method": "méthode", "device": "appareil", "owner": "responsable", "backup": "suppléant",
        "find_title": "Trouver la réponse type d'une situation, hors ligne",
        "find": ("1. Ouvrez `site/index.html` dans un navigateur (sans connexion) et tapez la situation dans la recherche, avec "
                 "les mots du message (« remboursement », « compte piraté », « journaliste ») : les réponses types viennent avec "
                 "les règles de la charte qu'elles appliquent.\n"
                 "2. Ou ouvrez `site/responses/index.html` : le tableau liste chaque réponse type avec sa langue, ses "
                 "plateformes et les règles qu'elle applique ; la case de filtre garde les lignes qui contiennent un mot "
                 "(accents ignorés), par exemple « tiktok » ou « anglais ». Chaque page dit, sous « Quand l'utiliser », les "
                 "situations auxquelles la réponse répond.\n"
                 "3. Sur la page d'une réponse, le texte à copier vient en premier, puis ses variables et si elle tient sur "
                 "chaque plateforme.\n"
                 "4. Avec handover installé et la base (`repository.bundle`) : `handover triage \"le message\"` classe les "
                 "réponses, cite les règles et dit qui prévenir.\n"),
    },
}

# The gender of each section's noun, for « Aucun. » or « Aucune. ».
NONE_KEY = {"accounts": "none_m", "relationships": "none_f", "incidents": "none_m", "drafts": "none_m", "stale": "none_f",
            "actions_all": "none_f", "orphans_all": "none_m", "people": "none_m", "revoke": "none_m"}
