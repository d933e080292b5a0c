"""The example records `handover init` writes: one of each kind, tagged `example`,
consistent with one another (the account's owner is on the team, the response cites
the charter's rules) so that a new knowledge base validates and builds at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

Example = tuple[str, str, dict[str, Any], str | None]  # kind, id, fields, Markdown body


def examples(language: str, today: dt.date) -> list[Example]:
    """The example records, in French for `fr`, in English otherwise."""
    fr = language == "fr"
    tag = ["exemple"] if fr else ["example"]
    lead, member = "sam-exemple" if fr else "sam-example", "alex-exemple" if fr else "alex-example"
    account = "instagram-exemple" if fr else "instagram-example"

    def common(**extra: Any) -> dict[str, Any]:
        return {**extra, "reviewed_on": today, "tags": tag}

    team_lead = common(name="Sam Exemple" if fr else "Sam Example", role="Responsable de la communauté" if fr else "Community lead",
                       email="sam@example.org", start=today, status="active")
    team_member = common(name="Alex Exemple" if fr else "Alex Example", role="Community manager", email="alex@example.org",
                         start=today, status="active", successor=lead)
    account_data = common(platform="instagram", handle="@votre_marque" if fr else "@your_brand",
                          url="https://www.instagram.com/votre_marque/" if fr else "https://www.instagram.com/your_brand/",
                          status="active", purpose="community", owner=member, backup=lead, cadence="3/week",
                          credentials={"manager": "Bitwarden", "entry": "Réseaux sociaux / Instagram" if fr else "Social / Instagram"})
    contact = common(name="Service client" if fr else "Customer service", organization="Votre entreprise" if fr else "Your company",
                     department="customer-service", channels={"email": "service@example.org"},
                     escalate_for=["refund", "delivery"], availability="lun.–ven. 9h–18h" if fr else "Mon–Fri 9am–6pm", owner=lead)
    influencer = common(name="Un blog du secteur" if fr else "A blog of the field", handles={"instagram": "@un_blog" if fr else "@a_blog"},
                        stance="neutral", stage="identified", topics=["vélo"] if fr else ["cycling"], owner=member)
    charter = common(title="Charte de modération" if fr else "Moderation charter", version="1.0", approved_by=[lead], approved_on=today)
    response = common(title="Remerciement" if fr else "Thanks", when=["un client nous remercie" if fr else "a customer thanks us"],
                      platforms=["facebook", "instagram"], language=language, charter=["reply-fast"], status="approved",
                      approved_by=lead, approved_on=today,
                      variables={"prenom" if fr else "first_name": {"description": "Prénom de la personne" if fr else "The person's first name",
                                                                    "default": "Camille", "fallback": "à vous" if fr else "there"}})
    incident = common(title="Exemple : une vague de commentaires" if fr else "Example: a wave of comments", started=today, ended=today,
                      severity=4, status="closed", platforms=["instagram"], accounts=[account])
    departure = common(person=member, steps=[
        {"id": f"accounts/{account}:two-factor", "title": ("Instagram @votre_marque : basculer la double authentification sur le téléphone de service" if fr
                                                          else "Instagram @your_brand: move the second factor to the team phone"),
         "state": "done", "by": lead, "date": today,
         "note": "exemple : handover checklist écrit ce fichier quand quelqu'un part" if fr else "example: handover checklist writes this file when someone leaves"},
    ])
    charter_body, response_body, incident_body = _bodies(fr)
    return [
        ("team", lead, team_lead, None),
        ("team", member, team_member, None),
        ("accounts", account, account_data, None),
        ("contacts", "service-client" if fr else "customer-service", contact, None),
        ("influencers", "un-blog" if fr else "a-blog", influencer, None),
        ("charter", "moderation", charter, charter_body),
        ("responses", "remerciement" if fr else "thanks", response, response_body),
        ("incidents", f"{today:%Y-%m}-exemple" if fr else f"{today:%Y-%m}-example", incident, incident_body),
        ("departures", member, departure, None),
    ]


def _bodies(fr: bool) -> tuple[str, str, str]:
    """The Markdown text of the example charter, response and incident."""
    charter_body = (
        "Ce que l'on modère et comment, convenu avec les services.\n\n"
        "## Ne jamais supprimer une critique {#no-delete}\n\nUne critique reçoit une réponse, pas une suppression.\n\n"
        "## Répondre vite {#reply-fast}\n\nDans l'heure en semaine, même pour dire que l'on cherche.\n"
    ) if fr else (
        "What we moderate and how, agreed with the departments.\n\n"
        "## Never delete criticism {#no-delete}\n\nCriticism gets an answer, not a deletion.\n\n"
        "## Answer fast {#reply-fast}\n\nWithin the hour on weekdays, even to say we are looking into it.\n"
    )
    response_body = "Merci beaucoup {prenom}, ça fait plaisir à toute l'équipe !" if fr else "Thank you so much {first_name}, the whole team is delighted!"
    incident_body = (
        "## Résumé\n\nRemplacez cet exemple par une vraie crise : ce qui s'est passé, ce que nous avons fait, ce que nous en avons appris.\n\n"
        "## Leçons\n\n…\n"
    ) if fr else (
        "## Summary\n\nReplace this example with a real incident: what happened, what we did, what we learned.\n\n## Lessons\n\n…\n"
    )
    return charter_body, response_body, incident_body
