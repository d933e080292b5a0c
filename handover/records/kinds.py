"""The record kinds of a knowledge base and their fields: the format, in one place.

Validation (schema_check.py), the format reference page (kb/guide/format.md, made by
`handover docs format` and kept in step by a test) and the JSON Schemas all read
these declarations, so the format cannot drift between them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handover.records.fieldtypes import (
    Boolean,
    Choice,
    Date,
    Field,
    Integer,
    ListOf,
    MapOf,
    Obj,
    Pattern,
    Ref,
    RuleRef,
    Text,
    cadence,
    duration,
    email,
    handle,
    phone,
    slug,
    url,
    variable_name,
)
from handover.records.refwalk import holds_reference

VISIBILITY = ("public", "internal", "restricted")


@dataclass(frozen=True)
class Kind:
    """A record kind: its folder, file type, fields, and which field titles it."""

    folder: str
    singular: str
    extension: str  # ".yml" or ".md"
    doc: str
    fields: tuple[Field, ...]
    title_field: str

    @property
    def is_markdown(self) -> bool:
        return self.extension == ".md"

    def reference_fields(self) -> dict[str, Field]:
        """The fields whose type can hold a reference (the others are skipped when
        looking for references)."""
        cached = self.__dict__.get("_reference_fields")
        if cached is None:
            cached = {name: f for name, f in self.all_fields().items() if holds_reference(f.type)}
            object.__setattr__(self, "_reference_fields", cached)
        return cached

    def all_fields_plain(self) -> dict[str, Field]:
        """The kind's own fields, without the fields every record may have."""
        return {f.name: f for f in self.fields}

    def all_fields(self) -> dict[str, Field]:
        cached = self.__dict__.get("_all_fields")
        if cached is None:  # a frozen dataclass: cache beside the fields, computed once
            cached = {f.name: f for f in self.fields + COMMON_FIELDS}
            object.__setattr__(self, "_all_fields", cached)
        return cached


TEAM_REF = Ref(("team",))


def _interactions(example_who: str) -> Field:
    return Field("interactions", ListOf(Obj((
        Field("date", Date(), "When.", "2026-11-12", required=True),
        Field("channel", Text(), "How: e-mail, phone, meeting, DM, comment, event…", "e-mail", required=True),
        Field("who", Ref(("team",)), "Who on the team spoke with them.", example_who, required=True),
        Field("note", Text(), "One line: what was said or agreed.", "Brief de la vidéo de décembre envoyé.", required=True),
    ))), "The relationship's log, one line per exchange, newest last or first. `last_contact` is derived from it (the later of the two).",
        [{"date": "2026-11-12", "channel": "e-mail", "who": example_who, "note": "Brief de la vidéo de décembre envoyé."}])


COMMON_FIELDS: tuple[Field, ...] = (
    Field("owner", TEAM_REF, "Team member responsible for keeping this record true.", "karim-benali"),
    Field("reviewed_on", Date(), "When a person last confirmed the record is still right (not git's last-modified date: a typo fix is not a review).", "2026-09-15"),
    Field("review_every", duration(), "How often it must be confirmed. Defaults per kind in handover.yml (`review_every`).", "180d"),
    Field("tags", ListOf(slug()), "Free labels for search and the site's tag pages.", ["crise", "sav"], public=True),
    Field("visibility", Choice(VISIBILITY), "Who may see the record: `public` (public site and export), `internal` (the team's site), `restricted` (the repository only).", "internal", default="internal"),
    Field("field_visibility", MapOf(Text(), Choice(VISIBILITY)), "Per-field visibility overriding the record's, e.g. `{notes: restricted}`.", {"notes": "restricted"}),
)

TEAM = Kind(
    "team",
    "team member",
    ".yml",
    "A person who runs the community: the lead, community managers, interns, the colleagues who stand in.",
    (
        Field("name", Text(), "Full name.", "Léa Martin", required=True, public=True),
        Field("role", Text(), "Role in the community team.", "Stagiaire community manager", required=True, public=True),
        Field("email", email(), "Work email.", "lea.martin@cycles-morvan.fr", required=True),
        Field("phone", phone(), "Work phone, international format.", "+33 4 72 00 00 01"),
        Field("mobile", phone(), "Work mobile, international format: the number to call in a crisis.", "+33 6 12 34 56 78"),
        Field("chat", Text(), "Chat handle (Slack, Teams).", "@lea.martin"),
        Field("start", Date(), "First day.", "2026-06-01", required=True),
        Field("end", Date(), "Contract end, when known. Owning anything after it is an error; approaching it is a warning.", "2026-12-18"),
        Field("status", Choice(("active", "leaving", "left")), "`active`, `leaving` (notice given), or `left`.", "active", required=True, default="active"),
        Field("successor", TEAM_REF, "Who takes over what this person owns when they leave.", "karim-benali"),
        Field("languages", ListOf(Text()), "Languages the person answers in.", ["fr", "en"]),
        Field("availability", Text(), "Working hours, days off, who covers when they are away.", "lun.–ven. 9h–17h30 ; couverte par Karim le vendredi"),
        Field("notes", Text(multiline=True), "Anything a colleague should know.", "Reprend les comptes le lundi."),
    ),
    "name",
)

ACCOUNTS = Kind(
    "accounts",
    "account",
    ".yml",
    "A social account or community space the brand runs, who owns it and how often it must be fed.",
    (
        Field("platform", Choice(vocabulary="platforms"), "The platform, as named under `platforms` in handover.yml.", "instagram", required=True, public=True),
        Field("handle", handle(), "The account's handle on that platform.", "@cyclesmorvan", required=True, public=True),
        Field("url", url(), "Public address of the account.", "https://www.instagram.com/cyclesmorvan/", required=True, public=True),
        Field("status", Choice(("active", "dormant", "archived")), "`active` (fed on a cadence), `dormant` (kept, not fed), `archived` (closed or frozen).", "active", required=True, public=True),
        Field("purpose", Choice(("smo", "community", "social-crm")), "Social media optimisation (traffic), community (members talk to each other), social CRM (customer care).", "community", public=True),
        Field("backup", TEAM_REF, "Who steps in when the owner is away. Must differ from the owner.", "julien-roux"),
        Field("cadence", cadence(), "How often it must be fed: posts per day, week, month.", "3/week"),
        Field("feed", url(), "The account's public RSS or Atom feed, read by `handover pulse --fetch` (YouTube `feeds/videos.xml?channel_id=…`, Mastodon `@user.rss`, Bluesky `profile/HANDLE/rss`, WordPress `/feed/`, Discourse `/latest.rss`). `handover pulse` proposes one where the account's URL gives it.", "https://forum.cycles-morvan.fr/latest.rss", public=True),
        Field("credentials", Obj((
            Field("manager", Text(), "The password manager or vault.", "Bitwarden (coffre Communication)", required=True),
            Field("entry", Text(), "The entry's name in it: never the secret itself.", "Réseaux sociaux / Instagram", required=True),
            Field("shared_with", ListOf(TEAM_REF), "Team members who can open the entry.", ["claire-fontaine", "karim-benali"]),
        )), "Where the login lives. A reference only: handover refuses secrets.", {"manager": "Bitwarden (coffre Communication)", "entry": "Réseaux sociaux / Instagram"}),
        Field("two_factor", Obj((
            Field("method", Choice(("app", "sms", "security-key", "email", "none")), "The second factor.", "app", required=True),
            Field("holder", TEAM_REF, "Who holds the device or key.", "claire-fontaine"),
            Field("device", Text(), "Which device or key, by name.", "YubiKey n°2 (coffre bureau Lyon)"),
        )), "Two-factor authentication: method and who holds it.", {"method": "app", "holder": "claire-fontaine"}),
        Field("recovery_email", Obj((
            Field("address", email(), "The recovery address.", "social@cycles-morvan.fr", required=True),
            Field("holder", TEAM_REF, "Who reads that mailbox.", "claire-fontaine"),
        )), "The account's recovery email and who reads it.", {"address": "social@cycles-morvan.fr", "holder": "claire-fontaine"}),
        Field("audience", Obj((
            # Public like the field that holds them: the platform shows the count to anyone.
            Field("followers", Integer(0), "Followers or members.", 18400, required=True, public=True),
            Field("as_of", Date(), "When the figure was read.", "2026-10-01", required=True, public=True),
        )), "Audience size and when it was read; old figures get a warning.", {"followers": 18400, "as_of": "2026-10-01"}, public=True),
        Field("language", Text(), "Main language of the account (ISO code).", "fr", public=True),
        Field("best_times", Text(), "When posts work best.", "mar. et jeu. 12h30, dim. 18h"),
        Field("notes", Text(multiline=True), "Editorial line, habits, pitfalls.", "Stories le week-end : sorties clients."),
    ),
    "handle",
)

CONTACTS = Kind(
    "contacts",
    "contact",
    ".yml",
    "A person or desk to work with, inside the company or outside: whom to call, for what, when.",
    (
        Field("name", Text(), "Person or desk name.", "Maître Hélène Vasseur", required=True, public=True),
        Field("organization", Text(), "Company, department or outlet.", "Cycles Morvan — Direction juridique", required=True, public=True),
        Field("department", Choice(("legal", "customer-service", "press", "product", "hr", "it-security", "marketing", "management", "logistics", "finance", "media", "agency", "partner", "other")), "Which side of the house (or `media`, `agency`, `partner` outside).", "legal", required=True, public=True),
        Field("role", Text(), "Their role.", "Juriste droit de la consommation", public=True),
        Field("handles", MapOf(Choice(vocabulary="platforms"), handle()), "Their own social handles, so a message from them is recognised (journalists, partners).", {"x": "@camille_rey"}),
        Field("channels", Obj((
            Field("email", email(), "Email.", "juridique@cycles-morvan.fr"),
            Field("phone", phone(), "Desk phone, international format.", "+33 4 72 00 00 10"),
            Field("mobile", phone(), "Mobile, international format.", "+33 6 12 34 56 78"),
            Field("chat", Text(), "Chat handle or channel.", "#juridique"),
            Field("url", url(), "Form or page to reach them.", "https://intranet.example/juridique"),
        )), "How to reach them.", {"email": "juridique@cycles-morvan.fr", "phone": "+33 4 72 00 00 10"}, required=True),
        Field("escalate_for", ListOf(Choice(vocabulary="escalation_topics")), "Topics to escalate to them (from `escalation_topics` in handover.yml).", ["legal", "privacy"]),
        Field("availability", Text(), "When they answer.", "lun.–ven. 9h–18h"),
        Field("out_of_hours", Text(), "How to reach them evenings and weekends, or who stands in.", "astreinte juridique : +33 6 …, week-ends compris"),
        Field("last_contact", Date(), "When the team last spoke with them (also derived from `interactions`: the later date counts).", "2026-10-02"),
        _interactions("karim-benali"),
        Field("retain_until", Date(), "When this personal data must be reviewed or deleted.", "2028-12-31"),
        Field("notes", Text(multiline=True), "Relationship history, what works with them.", "Préfère un appel à un mail pour l'urgent."),
    ),
    "name",
)

INFLUENCERS = Kind(
    "influencers",
    "influencer",
    ".yml",
    "An influencer, blogger or journalist of the community, with the relationship's history.",
    (
        Field("name", Text(), "Name or pen name.", "Mode & Vélo (Inès Garnier)", required=True, public=True),
        Field("handles", MapOf(Choice(vocabulary="platforms"), handle(), min_items=1), "Handle per platform.", {"instagram": "@modeetvelo", "blog": "modeetvelo"}, required=True, public=True),
        Field("stance", Choice(("ambassador", "neutral", "critic")), "Where they stand towards the brand.", "ambassador", required=True),
        Field("stage", Choice(("identified", "contacted", "engaged", "partner", "paused", "do-not-contact")), "Where the relationship is.", "engaged"),
        Field("topics", ListOf(Text()), "What they write about.", ["vélotaf", "mode"], public=True),
        Field("audience", MapOf(Choice(vocabulary="platforms"), Obj((
            Field("followers", Integer(0), "Followers or subscribers (for a blog: monthly unique visitors).", 48000, required=True),
            Field("as_of", Date(), "When read.", "2026-09-01", required=True),
        ))), "Audience per platform, with the date it was read. The tier is computed from it.", {"instagram": {"followers": 48000, "as_of": "2026-09-01"}}),
        Field("tier", Choice(("nano", "micro", "mid", "macro", "mega")), "Optional: computed from `audience` and the thresholds of handover.yml; a written tier that disagrees gets a warning.", "micro"),
        Field("url", url(), "Blog or main page.", "https://modeetvelo.example"),
        Field("language", Text(), "Language they publish in.", "fr"),
        Field("email", email(), "Contact email.", "contact@modeetvelo.example"),
        Field("last_contact", Date(), "When the team last spoke with them (also derived from `interactions`: the later date counts).", "2026-09-20"),
        _interactions("lea-martin"),
        Field("retain_until", Date(), "When this personal data must be reviewed or deleted.", "2028-12-31"),
        Field("notes", Text(multiline=True), "History of the relationship: what happened, what they like, what to avoid.", "A testé le modèle Confluence en 2025."),
    ),
    "name",
)

CHARTER = Kind(
    "charter",
    "charter document",
    ".md",
    "A charter document agreed with the departments. Its rules are `##` headings with stable ids: `## Ne jamais supprimer une critique {#no-delete}`.",
    (
        Field("title", Text(), "Document title.", "Charte de modération", required=True, public=True),
        Field("version", Text(), "Version, in quotes; raise it whenever a rule changes.", "2.1", required=True, public=True),
        Field("approved_by", ListOf(Ref(("team", "contacts")), min_items=1), "Who approved this version (team or contact ids).", ["claire-fontaine", "helene-vasseur"], required=True),
        Field("approved_on", Date(), "When this version was approved.", "2026-04-02", required=True, public=True),
        Field("summary", Text(), "One sentence on what the document covers.", "Ce que l'on modère, ce que l'on ne supprime jamais.", public=True),
    ),
    "title",
)

RESPONSES = Kind(
    "responses",
    "canned response",
    ".md",
    "A canned response that follows the charter. The body is the text, with `{placeholder}` fields declared under `variables`.",
    (
        Field("title", Text(), "Short name.", "Réclamation de remboursement", required=True, public=True),
        Field("when", ListOf(Text(), min_items=1), "Situations it answers, in the words people use.", ["un client demande un remboursement"], required=True, public=True),
        Field("platforms", ListOf(Choice(vocabulary="platforms"), min_items=1), "Platforms it fits; the text must fit each one's character limit.", ["facebook", "instagram"], required=True, public=True),
        Field("language", Text(), "Language of the text (ISO code).", "fr", required=True, public=True),
        Field("charter", ListOf(RuleRef(), min_items=1), "Ids of the charter rules it applies.", ["reply-fast", "move-to-private"], required=True, public=True),
        Field("status", Choice(("draft", "approved")), "`draft` until approved by the lead.", "approved", required=True),
        Field("variables", MapOf(variable_name(), Obj((
            Field("description", Text(), "What to put there.", "Prénom du client", required=True),
            Field("default", Text(), "Example value, used for previews and the length check.", "Camille"),
            Field("fallback", Text(), "Used by `handover reply` when no value is given.", ""),
        ))), "The `{placeholder}` fields of the text.", {"prenom": {"description": "Prénom du client", "default": "Camille"}}),
        Field("reply_in", Choice(("public", "private", "both")), "Answer in the public thread, in private messages, or first one then the other.", "public", public=True),
        Field("escalate_to", ListOf(Ref(("contacts",))), "Contacts to alert when using it.", ["service-client"]),
        Field("approved_by", Ref(("team", "contacts")), "Who approved the text.", "claire-fontaine"),
        Field("approved_on", Date(), "When it was approved.", "2026-05-12"),
    ),
    "title",
)

INCIDENTS = Kind(
    "incidents",
    "incident",
    ".md",
    "A crisis or incident, written as a post-mortem: summary, timeline, what we did, what worked, what did not, lessons, follow-up.",
    (
        Field("title", Text(), "Short name.", "Tempête de commentaires sur les retards de livraison", required=True, public=True),
        Field("started", Date(), "First day.", "2025-11-28", required=True, public=True),
        Field("ended", Date(), "Last day, once over.", "2025-12-06", public=True),
        Field("severity", Integer(1, 4), "1 (critical: brand-wide, press) to 4 (minor).", 2, required=True, public=True),
        Field("status", Choice(("open", "monitoring", "closed")), "`open`, `monitoring` (quiet but watched), `closed`.", "closed", required=True, public=True),
        Field("platforms", ListOf(Choice(vocabulary="platforms")), "Where it happened.", ["facebook", "x"], public=True),
        Field("accounts", ListOf(Ref(("accounts",))), "Our accounts involved.", ["facebook-cyclesmorvan"]),
        Field("people", ListOf(Ref(("contacts", "influencers"))), "Contacts and influencers involved: `contacts/id` or `influencers/id`.", ["contacts/helene-vasseur", "influencers/mode-et-velo"]),
        Field("responses", ListOf(Ref(("responses",))), "Canned responses used.", ["retard-livraison"]),
        Field("actions", ListOf(Obj((
            Field("action", Text(), "What must be done.", "Préparer une réponse type « rappel produit »", required=True),
            Field("owner", TEAM_REF, "Who does it.", "karim-benali", required=True),
            Field("due", Date(), "By when.", "2026-01-15"),
            Field("done", Boolean(), "Done yet.", False, default=False),
        ))), "Follow-up actions with owners.", [{"action": "Préparer une réponse type", "owner": "karim-benali", "done": False}]),
    ),
    "title",
)

WEEK_RE = re.compile(r"^\d{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$")


def _iso_week() -> Pattern:
    return Pattern(WEEK_RE, "E216", "ISO week", "write it like 2026-W48")


_WEEKS = MapOf(_iso_week(), Integer(0))
_LAST_POST = Obj((
    Field("date", Date(), "Day of the post (UTC for feeds and X; the export's own local time for Meta and TikTok).", "2026-11-20", required=True),
    Field("url", url(), "The post's own link, when the source gives one.", "https://www.instagram.com/p/DA1b2C3d4E5/"),
))

# Not a record kind: the files under activity/ are written by handover (pulse --fetch,
# pulse --import, log), one per account, and read by the pulse checks. Declared here
# with the same vocabulary so the format reference documents them.
ACTIVITY = Kind(
    "activity",
    "account activity",
    ".yml",
    "What an account actually published, per ISO week, kept by handover: `activity/ACCOUNT.yml`, the account's id as file name. "
    "Counts, dates and the account's own links only: no post text, no names. Each source keeps its own counts; a week counts the "
    "most any one source saw, so the same post seen by a feed and an export is one post, and reading a source again never adds a post twice.",
    (
        Field("account", Ref(("accounts",)), "The account this activity belongs to (its file name too).", "instagram-cyclesmorvan", required=True),
        Field("last_post", _LAST_POST, "The newest post any source saw (written from the sources).", {"date": "2026-11-20", "url": "https://www.instagram.com/p/DA1b2C3d4E5/"}),
        Field("weeks", _WEEKS, "Posts per ISO week, the most any one source saw (written from the sources).", {"2026-W46": 5, "2026-W47": 4}),
        Field("sources", MapOf(Text(), Obj((
            Field("last_read", Date(), "When the source was last read (a fetch, an import, a logged line).", "2026-12-01"),
            Field("last_post", _LAST_POST, "The newest post this source saw.", {"date": "2026-11-20"}),
            Field("posts", Integer(0), "Posts this source saw in all (the sum of its weeks).", 48),
            Field("weeks", _WEEKS, "Posts per ISO week this source saw; reading it again keeps the larger count of each week.", {"2026-W47": 4}),
            Field("url", url(), "feed: the address read.", "https://forum.cycles-morvan.fr/latest.rss"),
            Field("etag", Text(), "feed: the server's ETag, for conditional requests.", '"5f2a-1b"'),
            Field("last_modified", Text(), "feed: the server's Last-Modified, for conditional requests.", "Tue, 01 Dec 2026 06:00:00 GMT"),
            Field("last_ok", Date(), "feed: the last successful read.", "2026-12-01"),
            Field("failing_since", Date(), "feed: the first failed read since the last success (absent when the feed works).", "2026-11-28"),
            Field("error", Text(), "feed: what the last failed read gave.", "HTTP 500 from the server"),
            Field("recent_ids", ListOf(Text()), "feed: short fingerprints of the newest items' ids, to notice a feed that changes them.", ["3f9a1c2b7d"]),
            Field("file", Text(), "import: the name of the last file imported.", "tweets.js"),
            Field("entries", ListOf(Obj((
                Field("date", Date(), "Day of the post.", "2026-12-02", required=True),
                Field("url", url(), "Its link.", "https://www.linkedin.com/feed/update/urn:li:activity:1/"),
                Field("note", Text(), "A word about it (no personal data).", "offre vélos de fonction"),
            ))), "log: the lines written by `handover log`, one per post.", [{"date": "2026-12-02", "note": "offre vélos de fonction"}]),
        ))), "Per source (`feed`, `log`, `x-archive/part0`, `meta-export`, `instagram-export/posts`, `instagram-export/reels`, `tiktok-export`, `linkedin-export`): what it saw and when it was read. Parts of one export (`x-archive/part0`, `x-archive/part1`) hold different posts and are added up.",
            {"log": {"last_read": "2026-12-02", "posts": 1, "weeks": {"2026-W49": 1}}}, required=True),
    ),
    "account",
)

STEP_STATES = ("todo", "done", "waived")

DEPARTURES = Kind(
    "departures",
    "departure checklist",
    ".yml",
    "The checklist of a team member's departure, one file per person (`departures/lea-martin.yml`). handover derives the steps "
    "from the records (`handover checklist PERSON`); this file keeps their state: written by `handover checklist` and `handover transfer`.",
    (
        Field("person", TEAM_REF, "The team member who leaves (the file is named after them).", "lea-martin", required=True),
        Field("steps", ListOf(Obj((
            Field("id", Text(), "The step's id: `RECORD:STEP`, e.g. `accounts/tiktok-cyclesmorvan:two-factor`.", "accounts/tiktok-cyclesmorvan:two-factor", required=True),
            Field("title", Text(), "What to do, in the knowledge base's language.", "Basculer la double authentification de TikTok @cyclesmorvan", required=True),
            Field("state", Choice(STEP_STATES), "`todo`, `done`, or `waived` (not needed: say why and who decided).", "todo", required=True, default="todo"),
            Field("after_end", Boolean(), "Can only be done after the person's last day (changing a password).", False, default=False),
            Field("by", Ref(("team", "contacts")), "Who did it (done) or recorded it (waived).", "karim-benali"),
            Field("date", Date(), "When it was done or waived.", "2026-12-18"),
            Field("why", Text(), "Waived: why the step is not needed.", "Compte fermé le 18/12"),
            Field("decided_by", Ref(("team", "contacts")), "Waived: who decided.", "claire-fontaine"),
            Field("note", Text(), "Anything else: how it was done, what is left.", "fait par handover transfer"),
        ))), "Every step of the checklist, with its state.",
            [{"id": "accounts/tiktok-cyclesmorvan:two-factor", "title": "Basculer la double authentification", "state": "done", "by": "karim-benali", "date": "2026-12-16"}]),
    ),
    "person",
)

KINDS: dict[str, Kind] = {k.folder: k for k in (TEAM, ACCOUNTS, CONTACTS, INFLUENCERS, CHARTER, RESPONSES, INCIDENTS, DEPARTURES)}
