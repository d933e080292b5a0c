"""Generate a synthetic knowledge base: many records, a realistic mix, a few mistakes.

    python tests/bench/generate.py OUT_DIR --records 10000 [--seed 1] [--problems 0.01]

or, from a benchmark or a test::

    from generate import generate
    kb = generate(Path("/tmp/kb-10k"), 10_000)
    kb.problems  # the mistakes sprinkled in: file, line, column, expected code

The output is deterministic: the same arguments give byte-identical files. Records
follow the format of handover/records/kinds.py and look like the bundled kb/ (same brand,
same handover.yml, less its triage: section): a team with people leaving and people gone, accounts with owners
and backups, contacts across departments, influencers with audiences, charter
documents with many `## Rule {#id}` headings, canned responses citing those rules and
fitting their platforms' limits, incidents written as post-mortems in French-like
prose. Every reference resolves. Dates are relative to `today` (default 2026-11-21,
the date the bundled kb is written as of): run `handover validate --today` with it to
get the same warnings whatever the clock says.

At `problem_rate`, whole records get one typical mistake each, and the generator
records where it is and which code handover must report (`GeneratedKb.problems`,
also in `.generated.json` at the root, which handover skips as a dotfile):

    phone-octal     E201  `phone: 0612345670` unquoted: YAML 1.1 reads an octal number
    boolean-no      E202  `language: no` (Norwegian): YAML 1.1 reads false
    unknown-field   W220  a field the kind does not have (a typo)
    bad-reference   E301  an owner id with a typo
    unknown-rule    E302  a response citing a charter rule that does not exist
    duplicate-key   E104  the same field twice in one record

This module uses only the standard library and PyYAML (to read handover.yml).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

GENERATOR_VERSION = 2
REPO = Path(__file__).resolve().parents[2]
SETTINGS = REPO / "kb" / "handover.yml"
DEFAULT_TODAY = dt.date(2026, 11, 21)
MANIFEST = ".generated.json"

# Share of each kind, after a large real community (see the issue): contacts and
# influencers dominate, the charter is a few long documents.
MIX: dict[str, float] = {
    "team": 0.02,
    "accounts": 0.05,
    "contacts": 0.35,
    "influencers": 0.30,
    "charter": 0.01,
    "responses": 0.15,
    "incidents": 0.12,
}
MINIMUM = {"team": 5, "accounts": 2, "contacts": 2, "influencers": 2, "charter": 1, "responses": 2, "incidents": 1}
EXTENSION = {"team": ".yml", "accounts": ".yml", "contacts": ".yml", "influencers": ".yml", "charter": ".md", "responses": ".md", "incidents": ".md"}

# --------------------------------------------------------------------------- words

FIRST = ["Camille", "Léa", "Karim", "Julien", "Claire", "Nadia", "Hugo", "Inès", "Mathieu", "Sophie", "Antoine", "Pauline",
         "Hélène", "Marc", "David", "Isabelle", "Emmanuel", "Nathalie", "Bertrand", "Élodie", "Thomas", "Manon", "Lucas",
         "Chloé", "Yasmine", "Mehdi", "Sarah", "Nicolas", "Amandine", "Guillaume", "Océane", "Romain", "Aurélie", "Kevin",
         "Laure", "Benoît", "Zoé", "Théo", "Anaïs", "Rémi", "Fatou", "Samir", "Agathe", "Louis", "Margaux", "Jérôme",
         "Céline", "Paul", "Justine", "Olivier", "Noémie", "François", "Amélie", "Victor", "Salomé", "Hakim", "Jeanne",
         "Bastien", "Lina", "Gaëlle"]
LAST = ["Martin", "Benali", "Roux", "Fontaine", "Haddad", "Lefebvre", "Garnier", "Roussel", "Lambert", "Girard", "Roche",
        "Vasseur", "Blanc", "Nguyen", "Moreau", "Dubois", "Perrin", "Vial", "Garcia", "Rey", "Bernard", "Petit", "Durand",
        "Leroy", "Morel", "Fournier", "Mercier", "Bonnet", "Chevalier", "Faure", "Rousseau", "Muller", "Henry", "Gauthier",
        "Masson", "Marchand", "Duval", "Denis", "Lemaire", "Colin", "Vidal", "Caron", "Picard", "Roger", "Brun", "Meyer",
        "Barbier", "Arnaud", "Aubert", "Boyer", "Renaud", "Schmitt", "Le Gall", "Carpentier", "Dumont", "Guerin", "Baron",
        "Hamel", "Benoit", "Tessier"]
CITIES = ["Lyon", "Villeurbanne", "Grenoble", "Annecy", "Saint-Étienne", "Dijon", "Clermont-Ferrand", "Mâcon", "Valence",
          "Chambéry", "Bourg-en-Bresse", "Vienne", "Roanne", "Besançon", "Genève", "Lausanne", "Marseille", "Paris", "Nantes",
          "Bordeaux", "Strasbourg", "Lille", "Toulouse", "Montpellier", "Rennes", "Bruxelles"]
NOUNS = ["le vélo", "le vélo cargo", "la batterie", "le moteur", "le frein", "le cadre", "le pneu", "la chaîne", "la commande",
         "la livraison", "la garantie", "l'atelier", "le vélociste", "la communauté", "la réponse", "le commentaire",
         "le message privé", "la publication", "la story", "la vidéo", "l'article", "le client", "la cliente", "la blogueuse",
         "le journaliste", "le service client", "la charte", "la modération", "la crise", "la rumeur", "le rappel",
         "la facture", "le remboursement", "le délai", "le forum", "le fil", "la capture d'écran", "la newsletter",
         "le concours", "le partenariat", "l'essai", "la recharge", "l'antivol", "le siège enfant", "la béquille", "la selle"]
# Adjectives that read the same in the masculine and the feminine.
ADJECTIVES = ["rapide", "calme", "sensible", "technique", "honnête", "utile", "simple", "difficile", "visible", "fiable"]
VERBS = ["répond", "vérifie", "transmet", "publie", "relit", "signale", "explique", "corrige", "remercie", "rappelle",
         "prévient", "documente", "accompagne", "écoute", "résume", "propose", "confirme", "archive", "suit", "note"]
SUBJECTS = ["le community manager", "l'équipe", "la responsable", "le service client", "le stagiaire", "la cellule de crise",
            "le juridique", "la personne d'astreinte", "le chef de produit", "la relation presse", "l'agence", "Karim",
            "Claire", "la qualité", "on", "chacun", "la modératrice"]
COMPLEMENTS = ["dans l'heure", "avant midi", "le jour même", "sous deux heures", "en message privé", "en public",
               "sans jargon", "avec les sources", "après validation", "dès le lundi", "pendant le week-end",
               "avec une capture", "sur le forum", "dans le fil", "par téléphone", "avant toute publication",
               "une seule fois", "au même endroit", "avec le numéro de série", "en copie du juridique"]
CONNECTORS = ["Ensuite,", "Puis", "Pendant ce temps,", "En parallèle,", "Le lendemain,", "Au final,", "Dans tous les cas,",
              "Surtout,", "Par ailleurs,", "Enfin,"]
PEN_WORDS = ["Vélo", "Cargo", "Pédales", "Rayons", "Watts", "Pignons", "Selle", "Guidon", "Roues", "Atelier"]
TOPICS = ["vélotaf", "vélo cargo", "VAE", "cyclotourisme", "mode", "famille", "écologie", "réparation", "technologie",
          "batteries", "urbanisme", "sécurité routière", "gravel", "montagne", "bricolage", "tests produit", "mobilité"]
TAGS = ["crise", "sav", "presse", "juridique", "ambassadeur", "critique", "cargo", "batterie", "livraison", "securite",
        "partenariat", "forum", "publicite", "clients", "interne", "externe", "astreinte", "rgpd", "technique", "local"]
DEPARTMENTS = ["legal", "customer-service", "press", "product", "hr", "it-security", "marketing", "management",
               "logistics", "finance", "media", "agency", "partner", "other"]
DEPARTMENT_LABEL = {"legal": "Direction juridique", "customer-service": "Service client", "press": "Relations presse",
                    "product": "Produit", "hr": "Ressources humaines", "it-security": "Sécurité informatique",
                    "marketing": "Marketing", "management": "Direction générale", "logistics": "Logistique",
                    "finance": "Finance", "media": "Presse", "agency": "Agence", "partner": "Partenaire", "other": "Autre"}
DEPARTMENT_TOPICS = {"legal": ["legal", "privacy"], "customer-service": ["refund", "delivery", "warranty"],
                     "press": ["press", "crisis"], "product": ["product", "safety", "recall"], "hr": ["hr", "harassment"],
                     "it-security": ["security", "outage"], "marketing": ["partnership"], "management": ["crisis"],
                     "logistics": ["delivery"], "finance": ["refund"], "media": ["press"], "agency": ["crisis", "partnership"],
                     "partner": ["partnership", "warranty"], "other": []}
OUTLETS = ["Le Courrier de Lyon", "Rouleur Urbain", "Le Mag Conso", "Vélo Hebdo", "Radio Rhône", "Mobilités Demain",
           "Cycles & Villes", "Le Progrès du Soir"]
ROLES_TEAM = ["Community manager", "Stagiaire community manager", "Chargée de service client réseaux sociaux",
              "Responsable communication digitale", "Chargé de contenus", "Alternante social media", "Modérateur forum",
              "Chargée de veille"]
ROLES_CONTACT = ["Juriste", "Responsable", "Chargée de clientèle", "Chef de produit", "Attachée de presse", "Directeur",
                 "Ingénieur qualité", "Gestionnaire", "Journaliste", "Directrice conseil", "Responsable partenariats"]
RULE_TITLES = ["Répondre vite", "Ne jamais supprimer une critique", "Passer en privé pour les cas individuels",
               "Signer de son prénom", "Ne rien promettre sans accord", "Remercier les avis positifs",
               "Masquer les données personnelles", "Avertir avant de masquer une insulte", "Ne jamais menacer",
               "Exercer le droit de réponse", "Transmettre au juridique", "Les journalistes vont à la presse",
               "La sécurité passe avant tout", "Déclencher la cellule de crise", "Rester factuel",
               "Ne pas répondre à chaque critique", "Répondre d'abord aux influenceurs", "Garder le même ton",
               "Pas de jargon", "Accuser réception d'abord", "Citer ses sources", "Ne pas débattre de politique",
               "Protéger les mineurs", "Respecter le droit à l'image", "Compte piraté : couper et prévenir",
               "Concours : vérifier le règlement", "Publicité : identifier les partenariats", "Traduire sans trahir"]
RULE_WORDS = ["reply", "fast", "no", "delete", "private", "sign", "promise", "thanks", "mask", "data", "warn", "insult",
              "threaten", "right", "legal", "press", "safety", "crisis", "cell", "facts", "critic", "influencer", "tone",
              "jargon", "ack", "source", "politics", "minor", "image", "hacked", "contest", "ads", "translate", "escalate",
              "first", "never", "always", "public", "rumor", "recall", "refund", "delay", "forum", "night", "weekend"]
INCIDENT_TITLES = ["Tempête de commentaires sur les retards de livraison", "Appel au boycott après une publicité",
                   "Rumeur de batterie qui prend feu", "Compte Instagram piraté", "Blogueur menacé par erreur",
                   "Rappel de freins", "Panne du site pendant les soldes", "Capture d'un commentaire supprimé",
                   "Polémique sur l'origine des cadres", "Fuite d'une adresse client en commentaire",
                   "Concours contesté", "Vidéo virale d'une chute", "Critique d'un influenceur mécontent",
                   "Faux compte de la marque", "Erreur de prix sur une promotion"]
SITUATIONS = ["un client demande où en est sa commande", "une cliente signale un frein qui grince",
              "on nous demande un remboursement", "un blogueur publie un test négatif", "une journaliste pose une question",
              "un abonné insulte un autre membre", "on nous accuse de mentir", "quelqu'un publie son adresse en commentaire",
              "un client remercie l'équipe", "un influenceur propose un partenariat", "le site est en panne",
              "une personne demande un rendez-vous atelier", "une rumeur circule sur les batteries",
              "un membre du forum demande une pièce détachée", "un client veut annuler sa commande"]
PLATFORM_SETS = [["facebook", "instagram"], ["facebook", "instagram", "x"], ["x"], ["facebook"], ["instagram", "tiktok"],
                 ["facebook", "instagram", "linkedin", "forum"], ["forum", "blog"], ["email"], ["linkedin"],
                 ["facebook", "instagram", "x", "linkedin", "forum"], ["tiktok"], ["youtube", "facebook"]]
ENGLISH = ["Thank you for taking the time to write to us.", "We are sorry about the delay and we are looking into it.",
           "Our customer service team will contact you today.", "Please do not ride the bike until it has been checked.",
           "You can find the full procedure on our help page.", "We never delete a critical comment.",
           "Your feedback goes straight to the product team.", "We will keep this thread updated."]
UNKNOWN_FIELDS = {"team": "e-mail", "accounts": "backups", "contacts": "telephone", "influencers": "follower",
                  "charter": "approuve_par", "responses": "platform", "incidents": "severite"}

_PLAIN_EXTRA_RE = re.compile(r"^(?:\d+/(?:day|week|month|quarter|year)|\d+[dwmy])$")
_RESERVED = {"yes", "no", "on", "off", "y", "n", "true", "false", "null", "~"}


# --------------------------------------------------------------------------- results

@dataclass(frozen=True)
class Sprinkled:
    """A mistake put in on purpose: where it is and what handover must say."""

    path: str  # relative to the kb root, with forward slashes
    line: int  # 1-based, of the offending value or key
    col: int  # 1-based
    code: str
    mistake: str  # phone-octal, boolean-no, unknown-field, bad-reference, unknown-rule, duplicate-key

    @property
    def is_error(self) -> bool:
        return self.code.startswith("E")


@dataclass
class GeneratedKb:
    """What `generate` wrote."""

    root: Path
    records: int
    seed: int
    problem_rate: float
    today: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # record files, relative, sorted
    problems: list[Sprinkled] = field(default_factory=list)
    rules: int = 0

    def record_files(self, kind: str | None = None) -> list[Path]:
        """Absolute paths of the record files (of one kind folder, or all)."""
        return [self.root / f for f in self.files if kind is None or f.split("/", 1)[0] == kind]

    def manifest(self) -> dict[str, Any]:
        return {
            "generator": GENERATOR_VERSION,
            "records": self.records,
            "seed": self.seed,
            "problem_rate": self.problem_rate,
            "today": self.today.isoformat(),
            "counts": self.counts,
            "rules": self.rules,
            "files": self.files,
            "problems": [asdict(p) for p in self.problems],
        }

    @classmethod
    def from_manifest(cls, root: Path, data: dict[str, Any]) -> GeneratedKb:
        return cls(root, data["records"], data["seed"], data["problem_rate"], dt.date.fromisoformat(data["today"]),
                   dict(data["counts"]), list(data["files"]), [Sprinkled(**p) for p in data["problems"]], data.get("rules", 0))


def counts_for(records: int) -> dict[str, int]:
    """How many records of each kind: MIX, at least MINIMUM, summing to `records`."""
    floor = sum(MINIMUM.values())
    if records < floor:
        raise ValueError(f"at least {floor} records are needed for a complete mix")
    counts = {kind: max(MINIMUM[kind], round(records * share)) for kind, share in MIX.items()}
    biggest = sorted(counts, key=lambda k: (-counts[k], k))
    diff = records - sum(counts.values())
    index = 0
    while diff:
        kind = biggest[index % len(biggest)]
        step = 1 if diff > 0 else -1
        if counts[kind] + step >= MINIMUM[kind]:
            counts[kind] += step
            diff -= step
        index += 1
    return counts


# --------------------------------------------------------------------------- YAML text

def _plain_ok(text: str, flow: bool) -> bool:
    """Can this text be written as a plain (unquoted) YAML scalar and read back as the same string?"""
    if not text or text != text.strip() or "\n" in text or text.lower() in _RESERVED:
        return False
    if _PLAIN_EXTRA_RE.match(text):
        return True
    if not (text[0].isalpha() or text[0] == "_"):
        return False  # indicators, digits (numbers, dates, times), signs, dots
    if ": " in text or " #" in text or text.endswith(":") or any(c in text for c in "`\t"):
        return False
    return not (flow and any(c in text for c in ",[]{}"))


def _scalar(value: Any, flow: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _plain_ok(text, flow):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _is_short_flow(values: list[Any]) -> bool:
    return all(not isinstance(v, (dict, list)) and "\n" not in str(v) for v in values) and sum(len(str(v)) + 2 for v in values) < 90


def emit(data: dict[str, Any]) -> list[str]:
    """Block-style YAML lines for a mapping, as people write records by hand."""
    lines: list[str] = []
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, dict):
            if value and len(value) <= 2 and all(isinstance(v, (int, dt.date)) for v in value.values()):
                inner = ", ".join(f"{k}: {_scalar(v, True)}" for k, v in value.items())
                lines.append(f"{key}: {{{inner}}}")
            else:
                lines.append(f"{key}:")
                lines.extend("  " + line if line else line for line in emit(value))
        elif isinstance(value, list):
            if _is_short_flow(value) and key not in ("when",):
                lines.append(f"{key}: [{', '.join(_scalar(v, True) for v in value)}]")
            else:
                lines.append(f"{key}:")
                for item in value:
                    if isinstance(item, dict):
                        sub = emit(item)
                        lines.append("  - " + sub[0])
                        lines.extend("    " + line if line else line for line in sub[1:])
                    else:
                        lines.append("  - " + _scalar(item))
        elif isinstance(value, str) and "\n" in value:
            lines.append(f"{key}: |")
            lines.extend("  " + line if line else line for line in value.rstrip("\n").split("\n"))
        else:
            lines.append(f"{key}: {_scalar(value)}")
    return lines


# --------------------------------------------------------------------------- helpers

def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class Ids:
    """Unique slugs per kind: a clash gets -2, -3…"""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, base: str) -> str:
        base = slugify(base) or "record"
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate


@dataclass
class Person:
    id: str
    status: str  # active, leaving, left


class Writer:
    """The random source and the text builders shared by every kind."""

    def __init__(self, seed: int, today: dt.date, settings: dict[str, Any]) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.platforms = list(settings.get("platforms", {}))
        self.limits = {name: spec.get("limit") for name, spec in settings.get("platforms", {}).items() if isinstance(spec, dict)}
        self.topics = list(settings.get("escalation_topics", []))
        self.tiers = settings.get("tiers", {})

    # small pieces
    def pick(self, seq: list[Any]) -> Any:
        return seq[self.rng.randrange(len(seq))]

    def sample(self, seq: list[Any], low: int, high: int) -> list[Any]:
        return self.rng.sample(seq, min(len(seq), self.rng.randint(low, high)))

    def days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def days_ahead(self, low: int, high: int) -> dt.date:
        return self.today + dt.timedelta(days=self.rng.randint(low, high))

    def name(self) -> tuple[str, str]:
        return self.pick(FIRST), self.pick(LAST)

    def phone(self, mobile: bool = False) -> str:
        r = self.rng
        if r.random() < 0.1:
            return self.pick(["+32 2 ", "+41 22 ", "+49 30 "]) + " ".join(f"{r.randint(10, 99)}" for _ in range(3))
        first = self.pick(["6", "7"]) if mobile else self.pick(["1", "4", "9"])
        return f"+33 {first} " + " ".join(f"{r.randint(0, 99):02d}" for _ in range(4))

    def octal_phone(self) -> str:
        return "06" + "".join(str(self.rng.randint(0, 7)) for _ in range(8))

    def sentence(self) -> str:
        r = self.rng
        parts = [self.pick(SUBJECTS), self.pick(VERBS), self.pick(NOUNS)]
        if r.random() < 0.5:
            parts.append(self.pick(ADJECTIVES))
        parts.append(self.pick(COMPLEMENTS))
        if r.random() < 0.35:
            parts += [self.pick(["pour", "avec", "sans", "après", "avant"]), self.pick(NOUNS)]
        if r.random() < 0.25:
            parts.insert(0, self.pick(CONNECTORS))
        text = " ".join(parts)
        return text[0].upper() + text[1:] + self.pick([".", ".", ".", "\u00a0!"])  # French puts a (non-breaking) space before !

    def paragraph(self, low: int = 2, high: int = 5, width: int = 84) -> str:
        text = " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))
        return wrap(text, width)

    def notes(self, low: int = 1, high: int = 3) -> str:
        paragraphs = [self.paragraph() for _ in range(self.rng.randint(low, high))]
        if self.rng.random() < 0.3:
            paragraphs.append("\n".join("- " + self.sentence() for _ in range(self.rng.randint(2, 4))))
        return "\n\n".join(paragraphs) + "\n"

    def tags(self) -> list[str]:
        return self.sample(TAGS, 1, 4)


def wrap(text: str, width: int) -> str:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return "\n".join(lines)


# --------------------------------------------------------------------------- the knowledge base

class Builder:
    """Builds every record (as data, then text), keeping references resolvable."""

    def __init__(self, w: Writer, counts: dict[str, int]) -> None:
        self.w = w
        self.counts = counts
        self.files: dict[str, tuple[str, list[str], list[str] | None]] = {}  # rel path → (kind, yaml lines, body lines)
        self.team: list[Person] = []
        self.accounts: list[str] = []
        self.contacts: list[str] = []
        self.influencers: list[str] = []
        self.rules: list[str] = []
        self.responses: list[str] = []
        self.active: list[str] = []  # team ids by status, set by build_team
        self.leaving: list[str] = []

    def owner(self) -> str:
        """Who holds a record: an active team member, now and then one who is leaving (never one who left)."""
        leaving = self.leaving
        if leaving and self.w.rng.random() < 0.04:
            return self.w.pick(leaving)
        return self.w.pick(self.active)

    def add(self, kind: str, ident: str, comment: str, data: dict[str, Any], body: str | None = None) -> None:
        lines = ([f"# {comment}"] if comment else []) + emit(data)
        body_lines = body.rstrip("\n").split("\n") if body is not None else None
        self.files[f"{kind}/{ident}{EXTENSION[kind]}"] = (kind, lines, body_lines)

    # ---- team
    def build_team(self) -> None:
        w, n = self.w, self.counts["team"]
        ids = Ids()
        n_left = max(1, round(n * 0.1))
        n_leaving = max(1, round(n * 0.1))
        statuses = ["active"] * (n - n_left - n_leaving) + ["leaving"] * n_leaving + ["left"] * n_left
        people: list[tuple[str, str, str, str]] = []
        for status in statuses:
            first, last = w.name()
            ident = ids.take(f"{first} {last}")
            people.append((ident, first, last, status))
            self.team.append(Person(ident, status))
        self.active = [p.id for p in self.team if p.status == "active"]
        self.leaving = [p.id for p in self.team if p.status == "leaving"]
        lead = people[0][0]
        permanent = [p[0] for p in people if p[3] == "active"][: max(1, (n - n_left - n_leaving) * 2 // 3)]
        for index, (ident, first, last, status) in enumerate(people):
            role = ROLES_TEAM[3] if index == 0 else w.pick(ROLES_TEAM)
            data: dict[str, Any] = {
                "name": f"{first} {last}",
                "role": role,
                "email": f"{slugify(first).replace('-', '')}.{slugify(last).replace('-', '')}@cycles-morvan.fr",
                "phone": w.phone() if w.rng.random() < 0.8 else None,
                "chat": f"@{slugify(first)}.{slugify(last)}",
            }
            if status == "left":
                end = w.days_ago(20, 900)
                data["start"] = end - dt.timedelta(days=w.rng.randint(120, 1500))
                data["end"] = end
            elif status == "leaving":
                data["start"] = w.days_ago(150, 400)
                data["end"] = w.days_ahead(7, 55)
            else:
                data["start"] = w.days_ago(30, 3000)
                if ident not in permanent:
                    data["end"] = w.days_ahead(150, 700)
            data["status"] = status
            if status == "leaving" and w.rng.random() < 0.6:
                data["successor"] = w.pick([p for p in permanent if p != ident])
            data["languages"] = ["fr"] + w.sample(["en", "es", "de", "it"], 0, 2)
            data["owner"] = lead
            data["reviewed_on"] = w.days_ago(0, 195)
            data["tags"] = w.sample(["direction", "stage", "astreinte", "moderation", "instagram", "forum", "sav"], 1, 3)
            data["notes"] = w.notes(1, 3)
            if status == "leaving":
                comment = f"Départ prévu le {data['end'].strftime('%d/%m/%Y')} : tout transférer avant."
            else:
                comment = "A quitté l'équipe ; gardé pour l'historique." if status == "left" else f"{role}."
            self.add("team", ident, comment, data)

    # ---- accounts
    def build_accounts(self) -> None:
        w = self.w
        ids = Ids()
        handles: set[tuple[str, str]] = set()
        social = [p for p in w.platforms if p not in ("email", "blog")] or w.platforms
        for index in range(self.counts["accounts"]):
            platform = w.pick(social)
            city = w.pick(CITIES)
            handle = "cyclesmorvan" if index < len(social) else f"cyclesmorvan_{slugify(city).replace('-', '')}{index}"
            while (platform, handle) in handles:
                handle += "x"
            handles.add((platform, handle))
            ident = ids.take(f"{platform}-{handle.replace('_', '-')}")
            self.accounts.append(ident)
            status = "active" if w.rng.random() < 0.8 else w.pick(["dormant", "archived"])
            owner = self.owner()
            backup = w.pick([p for p in self.active if p != owner])
            holder = w.pick(self.active)
            data = {
                "platform": platform,
                "handle": handle if w.rng.random() < 0.5 else "@" + handle,
                "url": f"https://www.{platform}.example/{handle}",
                "status": status,
                "purpose": w.pick(["smo", "community", "social-crm"]),
                "owner": owner,
                "backup": backup,
                "cadence": f"{w.rng.randint(1, 5)}/{w.pick(['day', 'week', 'week', 'month'])}",
                "language": w.pick(["fr", "fr", "fr", "en"]),
                "credentials": {
                    "manager": "Bitwarden (coffre Communication)",
                    "entry": f"Réseaux sociaux / {platform.capitalize()} {city}",
                    "shared_with": sorted({owner, backup, holder}),
                },
                "two_factor": {"method": w.pick(["app", "app", "sms", "security-key"]), "holder": holder},
                "recovery_email": {"address": f"social+{slugify(city)}@cycles-morvan.fr", "holder": holder},
                "audience": {"followers": w.rng.randint(50, 250000), "as_of": w.days_ago(1, 195)},
                "best_times": w.pick(["mar. et jeu. 12h30, dim. 18h", "lun.–ven. 8h et 18h", "le week-end en fin de matinée"]),
                "reviewed_on": w.days_ago(0, 98),
                "tags": w.tags(),
                "notes": w.notes(1, 4),
            }
            self.add("accounts", ident, f"Compte {platform} de {city}.", data)

    # ---- contacts
    def build_contacts(self) -> None:
        w = self.w
        ids = Ids()
        for _ in range(self.counts["contacts"]):
            first, last = w.name()
            department = w.pick(DEPARTMENTS)
            internal = department not in ("media", "agency", "partner", "other")
            ident = ids.take(f"{first} {last}")
            self.contacts.append(ident)
            domain = "cycles-morvan.fr" if internal else f"{slugify(w.pick(OUTLETS + CITIES))}.example"
            organization = f"Cycles Morvan — {DEPARTMENT_LABEL[department]}" if internal else (
                w.pick(OUTLETS) if department == "media" else f"{w.pick(['Agence', 'Atelier', 'Association', 'Cabinet'])} {w.pick(LAST)}, {w.pick(CITIES)}")
            topics = [t for t in DEPARTMENT_TOPICS[department] if t in w.topics]
            channels: dict[str, Any] = {"email": f"{slugify(first).replace('-', '')}.{slugify(last).replace('-', '')}@{domain}",
                                        "phone": w.phone()}
            if w.rng.random() < 0.6:
                channels["mobile"] = w.phone(mobile=True)
            if internal and w.rng.random() < 0.5:
                channels["chat"] = f"#{slugify(DEPARTMENT_LABEL[department])}"
            data = {
                "name": f"{first} {last}",
                "organization": organization,
                "department": department,
                "role": w.pick(ROLES_CONTACT),
                "channels": channels,
                "escalate_for": topics or None,
                "availability": w.pick(["lun.–ven. 9h–18h", "du lundi au jeudi", "le matin", "sur rendez-vous", "24 h/24 pour une crise"]),
                "out_of_hours": w.sentence() if w.rng.random() < 0.4 else None,
                "last_contact": w.days_ago(0, 400),
                "retain_until": w.days_ahead(30, 1200),
                "owner": self.owner(),
                "reviewed_on": w.days_ago(0, 195),
                "tags": w.tags(),
                "notes": w.notes(1, 3),
            }
            self.add("contacts", ident, f"{DEPARTMENT_LABEL[department]} : {first} {last}.", data)

    # ---- influencers
    def tier(self, platform: str, followers: int) -> str:
        thresholds = self.w.tiers.get(platform) or self.w.tiers.get("default") or {}
        tier = "nano"
        for name in ("micro", "mid", "macro", "mega"):
            if name in thresholds and followers >= thresholds[name]:
                tier = name
        return tier

    def build_influencers(self) -> None:
        w = self.w
        ids = Ids()
        order = ("nano", "micro", "mid", "macro", "mega")
        for index in range(self.counts["influencers"]):
            first, last = w.name()
            pen = w.pick(["", f"{w.pick(PEN_WORDS)} & {w.pick(CITIES)}", f"{first} roule", f"Les carnets de {first}"])
            name = f"{pen} ({first} {last})" if pen else f"{first} {last}"
            ident = ids.take(pen or f"{first} {last}")
            self.influencers.append(ident)
            base = ident.replace("-", "")[:40] + str(index)
            platforms = w.sample(w.platforms, 1, 3)
            handles = {p: (("@" if w.rng.random() < 0.5 and p != "blog" else "") + base) for p in platforms}
            audience = {p: {"followers": int(w.rng.lognormvariate(8.5, 1.6)), "as_of": w.days_ago(1, 195)} for p in platforms}
            tiers = [self.tier(p, a["followers"]) for p, a in audience.items()]
            tier = max(tiers, key=order.index)
            data = {
                "name": name,
                "handles": handles,
                "stance": w.pick(["ambassador", "neutral", "neutral", "critic"]),
                "stage": w.pick(["identified", "contacted", "engaged", "partner", "paused", "do-not-contact"]),
                "topics": w.sample(TOPICS, 1, 4),
                "audience": audience,
                "tier": tier if w.rng.random() < 0.3 else None,
                "url": f"https://{base}.example",
                "language": w.pick(["fr", "fr", "fr", "en", "it", "de"]),
                "email": f"contact@{base}.example",
                "last_contact": w.days_ago(0, 400),
                "retain_until": w.days_ahead(30, 1200),
                "owner": self.owner(),
                "reviewed_on": w.days_ago(0, 130),
                "tags": w.tags(),
                "notes": w.notes(1, 4),
            }
            self.add("influencers", ident, f"{name} : {', '.join(data['topics'])}.", data)

    # ---- charter
    def build_charter(self) -> None:
        w = self.w
        ids = Ids()
        rule_ids = Ids()
        for index in range(self.counts["charter"]):
            theme = w.pick(["Charte de modération", "Ton et style", "Escalade et crise", "Influenceurs", "Forum", "Données personnelles", "Publicité"])
            title = f"{theme} — {w.pick(CITIES)}" if index >= 3 else theme
            ident = ids.take(title)
            body: list[str] = [w.paragraph(3, 6), ""]
            for _ in range(w.rng.randint(6, 20)):
                rule = rule_ids.take("-".join(w.sample(RULE_WORDS, 2, 3)))
                self.rules.append(rule)
                body += [f"## {w.pick(RULE_TITLES)} {{#{rule}}}", "", w.paragraph(2, 5), ""]
                if w.rng.random() < 0.5:
                    body += ["- " + w.sentence() for _ in range(w.rng.randint(2, 5))] + [""]
                body += [wrap("**Pourquoi.** " + " ".join(w.sentence() for _ in range(w.rng.randint(1, 3))), 84), ""]
            approvers = w.sample(self.active, 1, 2) + w.sample(self.contacts, 0, 2)
            data = {
                "title": title,
                "version": f"{w.rng.randint(1, 4)}.{w.rng.randint(0, 9)}",
                "approved_by": approvers,
                "approved_on": w.days_ago(30, 700),
                "summary": w.sentence(),
                "owner": self.owner(),
                "reviewed_on": w.days_ago(0, 400),
                "tags": ["charte"] + w.sample(TAGS, 0, 2),
            }
            self.add("charter", ident, "", data, "\n".join(body))

    # ---- responses
    def response_body(self, limit: int | None, language: str) -> tuple[str, dict[str, dict[str, str]]]:
        w = self.w
        english = language == "en"
        declared = {
            "prenom": {"description": "Prénom de la personne", "default": w.pick(FIRST)},
            "signature": {"description": "Prénom de qui répond, puis « équipe Cycles Morvan »", "default": f"{w.pick(FIRST)}, équipe Cycles Morvan",
                          "fallback": "L'équipe Cycles Morvan"},
            "delai": {"description": "Délai annoncé, vérifié avec le service concerné", "default": w.pick(["48 heures", "deux jours ouvrés", "une semaine"])},
            "numero-commande": {"description": "Numéro de commande, jamais en public", "default": f"CM-{w.rng.randint(10000, 99999)}"},
        }
        middle = w.sample(ENGLISH, 1, 5) if english else [w.sentence() for _ in range(w.rng.randint(1, 6))]
        if w.rng.random() < 0.5:
            later = "We will get back to you within {delai}." if english else "Nous revenons vers vous sous {delai}."
            middle.insert(w.rng.randrange(len(middle) + 1), later)
        if w.rng.random() < 0.3:
            middle.append("Could you send us a private message with order {numero-commande}?" if english
                          else "Pouvez-vous nous écrire en message privé avec le numéro {numero-commande} ?")
        opening = "Hello {prenom}," if english else "Bonjour {prenom},"
        closing = "{signature}"

        def assemble(parts: list[str]) -> str:
            if not parts:
                return f"{'Thank you' if english else 'Merci'} {{prenom}} ! {closing}\n"
            return f"{opening}\n\n" + " ".join(parts) + f"\n\n{closing}\n"

        def rendered(text: str) -> int:
            return len(re.sub(r"\{([a-z0-9\-]+)\}", lambda m: declared[m.group(1)]["default"], text).strip())

        while middle and limit and rendered(assemble(middle)) > limit:
            middle.pop()
        text = assemble(middle)
        if limit and rendered(text) > limit:
            declared["signature"]["default"] = "L'équipe"
        used = {name: spec for name, spec in declared.items() if "{" + name + "}" in text}
        return text, used

    def build_responses(self) -> None:
        w = self.w
        ids = Ids()
        for _ in range(self.counts["responses"]):
            situation = w.pick(SITUATIONS)
            language = "en" if w.rng.random() < 0.15 else "fr"
            ident = ids.take(" ".join(situation.split()[:5]) + ("-en" if language == "en" else ""))
            self.responses.append(ident)
            platforms = w.pick(PLATFORM_SETS)
            limits = [w.limits.get(p) for p in platforms if w.limits.get(p)]
            body, variables = self.response_body(min(limits) if limits else None, language)
            status = "approved" if w.rng.random() < 0.85 else "draft"
            data = {
                "title": situation[0].upper() + situation[1:],
                "when": [situation] + w.sample([s for s in SITUATIONS if s != situation], 0, 3),
                "platforms": platforms,
                "language": language,
                "charter": w.sample(self.rules, 1, 5),
                "status": status,
                "approved_by": w.pick(self.active + self.contacts[:20]) if status == "approved" else None,
                "approved_on": w.days_ago(10, 700) if status == "approved" else None,
                "reply_in": w.pick(["public", "private", "both"]),
                "escalate_to": w.sample(self.contacts, 0, 2) or None,
                "owner": self.owner(),
                "reviewed_on": w.days_ago(0, 195),
                "tags": w.tags(),
                "variables": variables or None,
            }
            self.add("responses", ident, "", data, body)

    # ---- incidents
    def build_incidents(self) -> None:
        w = self.w
        ids = Ids()
        for _ in range(self.counts["incidents"]):
            title = w.pick(INCIDENT_TITLES)
            started = w.days_ago(5, 1800)
            ident = ids.take(f"{started.year}-{started.month:02d}-{title}"[:60])
            status = "closed" if started < w.today - dt.timedelta(days=40) else w.pick(["open", "monitoring", "closed"])
            ended = started + dt.timedelta(days=w.rng.randint(0, 20)) if status == "closed" else None
            if ended and ended > w.today:
                ended = w.today
            actions = []
            for _ in range(w.rng.randint(1, 5)):
                done = w.rng.random() < 0.6
                actions.append({
                    "action": w.sentence(),
                    "owner": w.pick([p.id for p in self.team if p.status != "left"]) if not done else w.pick([p.id for p in self.team]),
                    "due": started + dt.timedelta(days=w.rng.randint(7, 90)),
                    "done": done,
                })
            people = [f"contacts/{c}" for c in w.sample(self.contacts, 0, 3)] + [f"influencers/{i}" for i in w.sample(self.influencers, 0, 3)]
            data = {
                "title": title,
                "started": started,
                "ended": ended,
                "severity": w.rng.randint(1, 4),
                "status": status,
                "platforms": w.sample(w.platforms, 1, 3),
                "accounts": w.sample(self.accounts, 1, 3),
                "people": people or None,
                "responses": w.sample(self.responses, 0, 4) or None,
                "actions": actions,
                "owner": self.owner(),
                "reviewed_on": w.days_ago(0, 400),
                "tags": ["crise"] + w.sample([t for t in TAGS if t != "crise"], 0, 3),
            }
            body = self.post_mortem(started)
            self.add("incidents", ident, "", data, body)

    def post_mortem(self, started: dt.date) -> str:
        w = self.w
        out = ["## Résumé", "", w.paragraph(3, 6), "", "## Chronologie", ""]
        moment = dt.datetime.combine(started, dt.time(w.rng.randint(7, 20), 10 * w.rng.randint(0, 5)))
        for _ in range(w.rng.randint(4, 10)):
            out.append(f"- **{moment.strftime('%d/%m %Hh%M')}** : {w.sentence()}")
            moment += dt.timedelta(minutes=10 * w.rng.randint(3, 180))
        for heading in ("Ce que nous avons fait", "Ce qui a marché", "Ce qui n'a pas marché"):
            out += ["", f"## {heading}", "", w.paragraph(2, 6)]
            if w.rng.random() < 0.5:
                out += [""] + ["- " + w.sentence() for _ in range(w.rng.randint(2, 4))]
        out += ["", "## Leçons", ""] + [f"{n}. {w.sentence()}" for n in range(1, w.rng.randint(3, 6))]
        out += ["", "## Suivi", "", w.paragraph(1, 3)]
        return "\n".join(out) + "\n"

    def build(self) -> None:
        self.build_team()
        self.build_accounts()
        self.build_contacts()
        self.build_influencers()
        self.build_charter()
        self.build_responses()
        self.build_incidents()


# --------------------------------------------------------------------------- mistakes

MISTAKES = ("phone-octal", "boolean-no", "unknown-field", "bad-reference", "unknown-rule", "duplicate-key")
ELIGIBLE: dict[str, tuple[str, ...]] = {
    "phone-octal": ("contacts", "team"),
    "boolean-no": ("influencers",),
    "unknown-field": tuple(MIX),
    "bad-reference": tuple(MIX),
    "unknown-rule": ("responses",),
    "duplicate-key": tuple(MIX),
}


def _find(lines: list[str], pattern: str) -> int:
    regex = re.compile(pattern)
    for index, line in enumerate(lines):
        if regex.match(line):
            return index
    return -1


def sprinkle(b: Builder, rate: float) -> list[tuple[str, int, int, str, str]]:
    """Put typical mistakes in round(records × rate) files; returns (file, yaml line index, col, code, mistake),
    the line index counted in the YAML lines (the caller turns it into a file line)."""
    w = b.w
    total = sum(b.counts.values())
    wanted = round(total * rate)
    if rate > 0 and wanted == 0:
        wanted = 1
    by_kind: dict[str, list[str]] = {}
    for rel, (kind, _, _) in b.files.items():
        by_kind.setdefault(kind, []).append(rel)
    candidates = {mistake: [rel for kind in ELIGIBLE[mistake] for rel in by_kind.get(kind, [])] for mistake in MISTAKES}
    taken: set[str] = set()
    found: list[tuple[str, int, int, str, str]] = []
    team_ids = {p.id for p in b.team}
    attempts = 0
    while len(found) < wanted and attempts < wanted * 20:
        mistake = MISTAKES[attempts % len(MISTAKES)]
        attempts += 1
        pool = candidates[mistake]
        if not pool:
            continue
        rel = pool[w.rng.randrange(len(pool))]
        if rel in taken:
            continue
        kind, lines, _body = b.files[rel]
        result = _apply(mistake, kind, lines, w, team_ids, set(b.rules))
        if result is None:
            continue
        index, col, code = result
        taken.add(rel)
        found.append((rel, index, col, code, mistake))
    return found


def _apply(mistake: str, kind: str, lines: list[str], w: Writer, team_ids: set[str], rules: set[str]) -> tuple[int, int, str] | None:
    if mistake == "phone-octal":
        index = _find(lines, r"^\s*(phone|mobile): ")
        if index < 0:
            return None
        key, _, _ = lines[index].partition(": ")
        lines[index] = f"{key}: {w.octal_phone()}"
        return index, len(key) + 3, "E201"
    if mistake == "boolean-no":
        index = _find(lines, r"^language: ")
        if index < 0:
            return None
        lines[index] = "language: no"
        return index, len("language: ") + 1, "E202"
    if mistake == "unknown-field":
        lines.append(f"{UNKNOWN_FIELDS[kind]}: {w.pick(['à vérifier', 'voir notes', 'oui'])}")
        return len(lines) - 1, 1, "W220"
    if mistake == "bad-reference":
        index = _find(lines, r"^owner: ")
        if index < 0:
            return None
        owner = lines[index][len("owner: "):]
        cut = w.rng.randrange(1, len(owner) - 1)
        typo = owner[:cut] + owner[cut + 1:]
        if typo in team_ids or not re.match(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", typo):
            typo = owner + "x"
        lines[index] = f"owner: {typo}"
        return index, len("owner: ") + 1, "E301"
    if mistake == "unknown-rule":
        index = _find(lines, r"^charter: \[")
        if index < 0:
            return None
        bad = "-".join(w.sample(RULE_WORDS, 2, 2)) + "-old"
        if bad in rules:
            return None
        lines[index] = f"charter: [{bad}, " + lines[index][len("charter: ["):]
        return index, len("charter: [") + 1, "E302"
    if mistake == "duplicate-key":
        index = _find(lines, r"^(owner|reviewed_on): ")
        if index < 0:
            return None
        lines.append(lines[index])
        return len(lines) - 1, 1, "E104"
    raise ValueError(mistake)


# --------------------------------------------------------------------------- writing

def render_file(lines: list[str], body: list[str] | None) -> tuple[str, int]:
    """The file text, and how many lines come before the first YAML line."""
    if body is None:
        return "\n".join(lines) + "\n", 0
    return "---\n" + "\n".join(lines) + "\n---\n\n" + "\n".join(body) + "\n", 1


def without_triage(text: str) -> str:
    """handover.yml without its `triage:` section (and the comment block above it):
    it names charter rules of kb/, which the generated charter does not have."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("triage:")), None)
    if start is None:
        return text
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() and not lines[i][0].isspace()), len(lines))
    while start > 0 and lines[start - 1].startswith("#"):
        start -= 1
    return "".join(lines[:start] + lines[end:]).rstrip("\n") + "\n"


def generate(out: Path, records: int, seed: int = 1, problem_rate: float = 0.01, today: dt.date = DEFAULT_TODAY,
             settings: Path = SETTINGS) -> GeneratedKb:
    """Write a knowledge base of `records` records into `out` (emptied first).

    Deterministic: same arguments, same bytes. Returns what was written, including
    the sprinkled mistakes and the code handover must report for each."""
    out = Path(out)
    if out.exists():
        if any(out.iterdir()) and not (out / MANIFEST).exists() and not (out / "handover.yml").exists():
            raise FileExistsError(f"{out} is not empty and does not look like a generated knowledge base; refusing to overwrite it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    settings_text = without_triage(settings.read_text(encoding="utf-8"))
    settings_data = yaml.safe_load(settings_text) or {}
    counts = counts_for(records)
    writer = Writer(seed, today, settings_data)
    builder = Builder(writer, counts)
    builder.build()
    mistakes = sprinkle(builder, problem_rate)
    (out / "handover.yml").write_text(settings_text, encoding="utf-8")
    for kind in MIX:
        (out / kind).mkdir()
    offsets: dict[str, int] = {}
    for rel in sorted(builder.files):
        kind, lines, body = builder.files[rel]
        text, offset = render_file(lines, body)
        offsets[rel] = offset
        (out / rel).write_text(text, encoding="utf-8")
    problems = [Sprinkled(rel, index + 1 + offsets[rel], col, code, mistake) for rel, index, col, code, mistake in mistakes]
    problems.sort(key=lambda p: (p.path, p.line))
    result = GeneratedKb(out, records, seed, problem_rate, today, counts, sorted(builder.files), problems, len(builder.rules))
    (out / MANIFEST).write_text(json.dumps(result.manifest(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return result


def load_generated(out: Path) -> GeneratedKb | None:
    """The manifest of a kb generated earlier into `out`, or None."""
    try:
        data = json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("generator") != GENERATOR_VERSION:
        return None
    return GeneratedKb.from_manifest(Path(out), data)


def ensure(out: Path, records: int, seed: int = 1, problem_rate: float = 0.01, today: dt.date = DEFAULT_TODAY) -> GeneratedKb:
    """Reuse the kb in `out` when it was generated with these arguments; else generate it."""
    existing = load_generated(out)
    if existing and (existing.records, existing.seed, existing.problem_rate, existing.today) == (records, seed, problem_rate, today) \
            and all((existing.root / f).is_file() for f in existing.files[:: max(1, len(existing.files) // 50)]):
        return existing
    return generate(out, records, seed, problem_rate, today)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the knowledge base into (emptied first)")
    parser.add_argument("--records", type=int, default=10_000, help="number of records (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--problems", type=float, default=0.01, help="share of records with a sprinkled mistake (default 0.01)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=DEFAULT_TODAY, help="dates are relative to this day (default 2026-11-21)")
    args = parser.parse_args(argv)
    kb = generate(args.out, args.records, args.seed, args.problems, args.today)
    mix = ", ".join(f"{kind} {n}" for kind, n in kb.counts.items())
    print(f"{kb.root}: {sum(kb.counts.values())} records ({mix}), {kb.rules} charter rules, {len(kb.problems)} sprinkled problems")
    print(f"validate with: handover validate {kb.root} --today {kb.today}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
