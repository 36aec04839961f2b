"""Write two months of the fictional Tallybook community's question history into samples/snapshot.

The threads are made up (people from the sample knowledge base, questions in its topics) in GitHub's own
shapes: GraphQL Discussion nodes and REST issues with their comments. They give `crowdcare respond` and the
metrics page something real-looking to work on: community and staff answers, accepted answers, a question
waiting for its author, one closed for lack of a reply whose author came back, and fresh unanswered ones.

Deterministic (fixed seed and clock): rerun it and the files come out the same.

    python samples/make_history.py        # from the repository root
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).parent / "snapshot"
REPO = "fernhill-sample/tallybook-community"
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)  # the demo's clock
BOT = ("tallybook-bot", 99000001)

CUSTOMERS = [
    ("oscar-lund", 88123004), ("nguyen-thao", 60447719), ("lucia-fernandez", 44018265),
    ("kenji-watanabe", 91827364), ("sam-whitlock", 12873340), ("ruth-ellison", 38845120),
    ("jkrause-bakery", 31200871), ("ines-duarte", 65012987), ("hannah-brandt", 83310274),
    ("ben-carver", 70021133), ("aisha-kamara", 55120398), ("olu-adeyemi", 27755092),
    ("marco-bianchi", 19283746), ("grace-obi", 14509876),
]  # fmt: skip
STAFF = [("maya-okafor", 58102231), ("priya-raman", 66309125), ("tomas-lindqvist", 77244109)]

QUESTIONS = [
    "Can I change the currency of an existing company file?",
    "Bank feed stopped importing after my bank changed its app",
    "How do I send a reminder for an overdue invoice?",
    "Receipts captured offline on Android never upload",
    "Where do I download my VAT invoice for the subscription?",
    "Shopify orders import twice",
    "How do I give my accountant read-only access?",
    "Reconciliation shows a difference of 0.01",
    "Can I put my logo on quotes but not on invoices?",
    "Stripe payouts are not matched to invoices",
    "How do I undo a reconciliation?",
    "Two-factor codes from the app are rejected",
    "Can I split one bank transaction across two invoices?",
    "iOS app asks me to sign in every day",
    "How do I move from the monthly to the yearly plan?",
    "API returns 429 when I sync products",
    "Invoice numbers skipped from 1041 to 1043",
    "Can I import customers from a CSV file?",
    "Credit note does not reduce the customer's balance",
    "How do I close the books for last year?",
    "Bank rule matches the wrong supplier",
    "PDF invoices are blank in Outlook",
    "Can two people edit the same invoice?",
    "Where did the cash-flow report go?",
    "How do I record a refund to a customer?",
    "Webhook signatures fail after rotating the secret",
    "Mileage claims round to whole kilometres",
    "Can I cancel my plan and keep read-only access?",
    "Offline mode lost an invoice I made on the train",
    "How do I add a second bank account?",
    "Quotes expire too early",
    "Payment link shows the wrong amount with discounts",
]


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _actor(person: tuple[str, int], bot: bool = False) -> dict[str, object]:
    return {"__typename": "Bot" if bot else "User", "login": person[0], "databaseId": person[1]}


def _comment(
    number: int,
    position: int,
    person: tuple[str, int],
    body: str,
    at: dt.datetime,
    association: str = "NONE",
    bot: bool = False,
) -> dict[str, Any]:
    """A GraphQL DiscussionComment node, the ``position``-th on discussion ``number``."""
    return {
        "id": f"DC_sample{number}_{position}",
        "url": f"https://github.com/{REPO}/discussions/{number}#discussioncomment-{number * 100 + position}",
        "upvoteCount": 0,
        "body": body,
        "createdAt": _iso(at),
        "authorAssociation": association,
        "author": _actor(person, bot),
    }


def _reply_text(staff: bool, accepted: bool, rng: random.Random) -> str:
    if staff:
        return rng.choice(
            [
                "Thanks for the detail. This is under Settings → Company; I've added steps to the help centre too.",
                "We found the cause on our side and shipped a fix this morning. Could you try again?",
                "You can do this from the Reports menu. Let me know if the option is missing for you.",
            ]
        )
    text = rng.choice(
        [
            "I had the same thing. Disconnecting and reconnecting the bank under Bank feeds fixed it for me.",
            "You can: open the item, then More → Duplicate and change the field before saving.",
            "Check the rounding setting under Settings → Invoices; mine was set to 'whole units'.",
        ]
    )
    return text + (" Worked for two of my clients as well." if accepted else "")


def _discussion_node(
    number: int,
    title: str,
    body: str,
    author: tuple[str, int],
    created: dt.datetime,
    category: str,
    comments: list[dict[str, Any]],
    labels: list[str],
) -> dict[str, Any]:
    """A GraphQL Discussion node (adapters/queries.py shape), open and unanswered; callers override the rest
    (an override keeps the key's place, so the JSON written stays in this order)."""
    latest = [dt.datetime.fromisoformat(str(c["createdAt"]).replace("Z", "+00:00")) for c in comments]
    return {
        "id": f"D_sample{number}",
        "number": number,
        "title": title,
        "body": body,
        "url": f"https://github.com/{REPO}/discussions/{number}",
        "createdAt": _iso(created),
        "updatedAt": _iso(max([created, *latest])),
        "closed": False,
        "closedAt": None,
        "locked": False,
        "authorAssociation": "NONE",
        "author": _actor(author),
        "answer": None,
        "answerChosenAt": None,
        "answerChosenBy": None,
        "category": {"name": category, "isAnswerable": category == "Q&A"},
        "labels": {"nodes": [{"name": name} for name in labels]},
        "comments": {"nodes": comments},
    }


def _discussion(
    number: int, title: str, asker: tuple[str, int], asked: dt.datetime, plan: str, rng: random.Random
) -> dict[str, object]:
    """One Q&A discussion following ``plan``: community | staff | waiting | closed-returned | silent."""
    comments: list[dict[str, object]] = []
    answer = None
    closed_at = None
    labels: list[str] = []
    chosen_at: object = None
    chosen_by: object = None

    def add(
        person: tuple[str, int], body: str, at: dt.datetime, association: str = "NONE", bot: bool = False
    ) -> dict[str, object]:
        node = _comment(number, len(comments) + 1, person, body, at, association, bot)
        comments.append(node)
        return node

    if plan in ("community", "staff"):
        staff = plan == "staff"
        helper = rng.choice(STAFF) if staff else rng.choice([c for c in CUSTOMERS if c != asker])
        first = asked + dt.timedelta(hours=rng.uniform(0.3, 30 if staff else 20))
        reply = add(helper, _reply_text(staff, True, rng), first, "MEMBER" if staff else "NONE")
        reply["upvoteCount"] = (number * 7) % 5  # made-up votes, without disturbing the random sequence
        if number < 345 or rng.random() < 0.5:  # the recent ones are not all accepted yet
            answer = reply
            thanks = add(asker, "That was it, thank you!", first + dt.timedelta(hours=rng.uniform(1, 20)))
            chosen_at, chosen_by = thanks["createdAt"], _actor(asker)
    elif plan == "waiting":
        helper = rng.choice(STAFF)
        add(
            helper,
            "Could you tell us which bank and which app version you use?",
            asked + dt.timedelta(hours=5),
            "MEMBER",
        )
        labels.append("waiting-for-author")
    elif plan == "closed-returned":
        helper = rng.choice(STAFF)
        asked_info = asked + dt.timedelta(hours=6)
        add(helper, "Which browser were you using when this happened?", asked_info, "MEMBER")
        closing = asked_info + dt.timedelta(days=7, hours=1)
        add(
            BOT,
            f"We're closing this for now, @{asker[0]}, because we haven't heard back in 7 days. Reply here any "
            "time within 30 days and it reopens automatically.\n\n<sub>crowdcare rule `responses.close-waiting`: "
            "waiting for the asker, who has not replied for 7 days (waiting: 7 days).</sub>\n"
            "<!-- crowdcare:respond:close-waiting -->",
            closing,
            bot=True,
        )
        closed_at = closing
        labels.append("waiting-for-author")
        add(asker, "Sorry, I was away. It's Firefox 133 on Windows.", NOW - dt.timedelta(hours=20))
    body = f"{title} I've looked in the help centre but couldn't find it. Thanks for any pointers."
    return {
        **_discussion_node(number, title, body, asker, asked, "Q&A", comments, labels),
        "closed": closed_at is not None,
        "closedAt": _iso(closed_at) if closed_at else None,
        "answer": answer,
        "answerChosenAt": chosen_at,
        "answerChosenBy": chosen_by,
    }


def _add_promotion_triggers(node: dict[str, Any]) -> None:
    """What `crowdcare promote` acts on in the demo: commands from staff and a customer, a label, a duplicate,
    an answer marked by someone governance does not allow, and one with a second highly voted reply."""
    number = int(node["number"])

    if number == 331:  # staff promote an older accepted answer
        _say(node, STAFF[0], "/promote", NOW - dt.timedelta(days=2), "MEMBER")
    elif number == 327:  # a customer tries: governance.promote says staff only
        _say(node, CUSTOMERS[3], "/promote\n\nThis helped me too!", NOW - dt.timedelta(days=3))
    elif number == 330:  # staff spot a duplicate of an existing solution
        _say(node, STAFF[1], "/merge bank-feeds/undo-reconciliation", NOW - dt.timedelta(days=1), "MEMBER")
    elif number in (334, 336):  # staff apply the promotion label (334 turns out to duplicate a solution)
        node["labels"]["nodes"].append({"name": "promote"})
    elif number == 343 and node["answer"]:  # a second, well-voted suggestion
        extra = _say(
            node,
            STAFF[2],
            "You can also pin the report to your dashboard from *Reports → ⋯ → Pin*.",
            NOW - dt.timedelta(days=12),
            "MEMBER",
        )
        extra["upvoteCount"] = 4
    elif number == 344 and node["answer"]:  # marked by someone who is neither the asker nor staff
        node["answerChosenBy"] = _actor(CUSTOMERS[5])


# --- ideas: the threads behind ideas/*.md, with the reactions `crowdcare tally` counts ---------------------

VOTERS = [(f"tb-user-{i:04d}", 30_000_000 + i) for i in range(700)]  # people who only ever vote
STATUS_LABELS = {"under-review", "planned", "in-progress", "shipped", "declined", "duplicate"}
# What happens on some idea threads, to show each rule of `crowdcare tally` once:
RECENT_SURGE = "recurring-invoice-variable-amounts"  # 30 verified votes this month: the acceptance rule applies
YOUNG_BURST = "api-webhooks-for-payments"  # 14 votes in a day from accounts a week old: flagged
FROZEN = "crypto-payments"  # maintainers froze the count (votes-frozen)
STAFF_DECIDES = "credit-union-feeds"  # /status planned, with a reason
LABEL_MOVES = "xero-migration-tool"  # labelled in-progress: no reason needed
LABEL_WITHOUT_REASON = "whatsapp-invoice-sending"  # labelled declined without a reason: the bot asks for one
CUSTOMER_TRIES = "two-factor-sms-backup"  # a customer's /status shipped: refused


def _say(
    node: dict[str, Any], person: tuple[str, int], body: str, at: dt.datetime, association: str = "NONE"
) -> dict[str, Any]:
    """Add a comment to a discussion node (the thread's updatedAt follows it)."""
    comments: list[dict[str, Any]] = node["comments"]["nodes"]
    reply = _comment(int(node["number"]), len(comments) + 1, person, body, at, association)
    comments.append(reply)
    node["updatedAt"] = max(str(node["updatedAt"]), reply["createdAt"])
    return reply


def _front_matter(path: Path) -> tuple[dict[str, Any], str]:
    import yaml

    _, head, body = path.read_text("utf-8").split("---\n", 2)
    return yaml.safe_load(head), body.strip()


def _reaction(content: str, voter: tuple[str, int], at: dt.datetime, since: dt.datetime) -> dict[str, Any]:
    return {
        "content": content,
        "createdAt": _iso(at),
        "user": {"login": voter[0], "databaseId": voter[1], "createdAt": _iso(since)},
    }


def _idea_discussion(path: Path, rng: random.Random) -> dict[str, Any]:
    meta, body = _front_matter(path)
    slug = path.stem
    number = int(meta["source"].rsplit("/", 1)[1])
    created = dt.datetime.fromisoformat(meta["created"]).replace(hour=9, tzinfo=dt.UTC)
    author = (meta["author"]["login"], meta["author"]["id"])
    labels = [meta["status"]] if meta["status"] in STATUS_LABELS else []
    node: dict[str, Any] = {
        **_discussion_node(number, meta["title"], body, author, created, "Ideas", [], labels),
        "id": f"D_kwDOSample{number}",
        "url": meta["source"],
        "closed": meta["status"] in ("shipped", "declined", "duplicate"),
        "upvoteCount": 0,
        "reactions": {"totalCount": 0, "nodes": []},
    }
    span = max((NOW - created).total_seconds(), 3600.0)
    voters = rng.sample(VOTERS, k=min(len(VOTERS), meta["votes"]["up"] + meta["votes"]["down"]))
    reactions = []
    for index, voter in enumerate(voters):
        at = created + dt.timedelta(seconds=span * rng.random() ** 0.7)  # a steady stream, a little back-loaded
        since = at - dt.timedelta(days=rng.uniform(60, 3000))  # most voters' accounts are years old
        content = "THUMBS_UP" if index < meta["votes"]["up"] else "THUMBS_DOWN"
        reactions.append(_reaction(content, voter, at, since))
    if slug == RECENT_SURGE:
        for voter in rng.sample(VOTERS, k=30):
            at = NOW - dt.timedelta(days=rng.uniform(0.5, 25))
            reactions.append(_reaction("THUMBS_UP", voter, at, at - dt.timedelta(days=900)))
    if slug == YOUNG_BURST:
        for index in range(14):
            fresh = (f"new-account-{index:02d}", 45_000_000 + index)
            at = NOW - dt.timedelta(hours=rng.uniform(1, 20))
            reactions.append(_reaction("THUMBS_UP", fresh, at, NOW - dt.timedelta(days=rng.uniform(2, 8))))
    reactions.append(_reaction("HEART", CUSTOMERS[0], created + dt.timedelta(days=1), created - dt.timedelta(days=900)))
    own = _reaction("THUMBS_UP", author, created, created - dt.timedelta(days=700))  # their own: not counted
    reactions.append(own)
    reactions.sort(key=lambda r: r["createdAt"])
    node["reactions"] = {"totalCount": len(reactions), "nodes": reactions}
    node["upvoteCount"] = rng.randint(0, meta["votes"]["up"] // 3)

    if slug == FROZEN:
        node["labels"]["nodes"].append({"name": "votes-frozen"})
    elif slug == STAFF_DECIDES:
        _say(node, CUSTOMERS[6], "My credit union is small but has an API. Happy to test!", NOW - dt.timedelta(days=9))
        _say(
            node,
            STAFF[1],
            "/status planned We are talking to two credit-union aggregators; the first feeds should arrive in Q1.",
            NOW - dt.timedelta(days=4),
            "MEMBER",
        )
    elif slug == LABEL_MOVES:
        node["labels"]["nodes"].append({"name": "in-progress"})
    elif slug == LABEL_WITHOUT_REASON:
        node["labels"]["nodes"].append({"name": "declined"})
    elif slug == CUSTOMER_TRIES:
        _say(node, CUSTOMERS[2], "/status shipped\n\nPlease, it is so needed!", NOW - dt.timedelta(days=2))
    return node


# --- duplicate claims: what `crowdcare fold` acts on ---------------------------------------------------------

# (number, title, body, the solution intake will call it a duplicate of, what the asker did since)
DUPLICATE_CLAIMS = [
    (
        352,
        "Bank feed stopped updating",
        "Transactions from my business account haven't come through for a week. Nothing has changed on my side.",
        "bank-feeds/bank-feed-stopped-updating",
        "thumbs-up",
    ),
    (353, "Switch to annual billing", "Is it cheaper to pay yearly, and can I switch mid-month?",
     "billing/switch-to-annual-billing", "yes"),
    (
        354,
        "Start invoice numbers from a number other than 1",
        "I'm moving from another system where my last invoice was INV-2210. I want Tallybook to carry on from "
        "INV-2211, not start at INV-0001.",
        "invoicing/invoice-number-sequence",
        "silent",
    ),
    (355, "VAT on invoices not showing", "My invoices don't show VAT even though I'm VAT registered. Where do I turn "
     "it on?", "invoicing/vat-on-invoices-not-showing", "no"),
]  # fmt: skip


def write_duplicate_claims() -> None:
    """Questions answered nine days ago by the intake bot with "this looks like X" (intake rewrites the reply's
    text on its run; the comment keeps its date), and what each asker did since: a 👍 on the reply, a "yes",
    nothing at all (past the quiet window), a "no" (an objection)."""
    folder = SNAPSHOT / "discussions"
    asked = NOW - dt.timedelta(days=9)
    for index, (number, title, body, key, answer) in enumerate(DUPLICATE_CLAIMS):
        asker = CUSTOMERS[(index + 3) % len(CUSTOMERS)]
        claim = _comment(
            number,
            1,
            BOT,
            f"Thanks for your question, @{asker[0]}.\n\n**This looks like a solution we have.**\n"
            f"<!-- crowdcare:claim solution={key} -->\n<!-- crowdcare:intake -->",
            asked + dt.timedelta(minutes=1),
            bot=True,
        )
        comments = [claim]
        reactions: dict[str, Any] = {}
        if answer == "thumbs-up":
            reactions[claim["id"]] = {"nodes": [_reaction("THUMBS_UP", asker, asked + dt.timedelta(hours=3), asked)]}
        elif answer in ("yes", "no"):
            text = "Yes, that's it, thank you!" if answer == "yes" else "No, my invoices are VAT-exempt exports."
            comments.append(_comment(number, 2, asker, text, asked + dt.timedelta(hours=4)))
        topic = [key.split("/", 1)[0]]  # the question form's topic label (routing: staff[].topics)
        node = _discussion_node(number, title, body, asker, asked, "Q&A", comments, topic)
        (folder / f"{number}.json").write_text(json.dumps(node, indent=2, ensure_ascii=False) + "\n", "utf-8")
        path = folder / f"{number}.comment-reactions.json"
        if reactions:
            path.write_text(json.dumps(reactions, indent=2) + "\n", "utf-8")
        else:
            path.unlink(missing_ok=True)
    print(f"wrote discussions {DUPLICATE_CLAIMS[0][0]}-{DUPLICATE_CLAIMS[-1][0]} (duplicate claims) into {folder}")


PENDING_BUCKET = [
    (357, "Webhook signature check fails since I rotated the signing secret", "I generated a new webhook secret "
     "yesterday and since then every delivery fails the signature check on my server. Do old deliveries still use "
     "the previous secret?", 2, 9),
    (358, "Rejected webhook signatures after changing the secret", "Our integration rejects every webhook since we "
     "changed the secret in Settings > Developers. How long until the new secret is used?", 1, 10),
]  # fmt: skip


def write_pending_bucket() -> None:
    """Two more askers of discussion 345's unanswered question, in their own words: a pending bucket of three on
    the triage page (answer once, serve many)."""
    folder = SNAPSHOT / "discussions"
    for number, title, body, days_ago, customer in PENDING_BUCKET:
        asked = NOW - dt.timedelta(days=days_ago, hours=3)
        node = _discussion_node(number, title, body, CUSTOMERS[customer], asked, "Q&A", [], [])
        (folder / f"{number}.json").write_text(json.dumps(node, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote discussions {PENDING_BUCKET[0][0]}-{PENDING_BUCKET[-1][0]} (a pending bucket) into {folder}")


def write_proposed_answers() -> None:
    """Proposed answers (`/answer`): on 360 staff propose a customer's reply today, so the demo's sweep puts it to
    the asker; on 361 the bot asked three days ago and the asker said yes since, so the sweep marks the answer (and
    promotion credits the asker, not the bot, as the one who accepted it)."""
    folder = SNAPSHOT / "discussions"
    fresh = (360, "Can I email an invoice straight from the phone app?", CUSTOMERS[8], CUSTOMERS[5])
    number, title, asker, helper = fresh
    asked = NOW - dt.timedelta(days=5)
    comments = [
        _comment(number, 1, helper, "Yes: open the invoice in the app, tap Share → Email, and it goes from your "
                 "Tallybook address with the PDF attached.", asked + dt.timedelta(hours=20)),
        _comment(number, 2, STAFF[1], "/answer", NOW - dt.timedelta(hours=20), "MEMBER"),
    ]  # fmt: skip
    body = f"{title} I'm at a customer's site and want to send it before I leave."
    node = _discussion_node(number, title, body, asker, asked, "Q&A", comments, ["mobile"])
    (folder / f"{number}.json").write_text(json.dumps(node, indent=2, ensure_ascii=False) + "\n", "utf-8")

    number, title, asker, helper = 361, "Recurring invoice was not sent this month", CUSTOMERS[10], CUSTOMERS[12]
    asked = NOW - dt.timedelta(days=6)
    answer = _comment(
        number,
        1,
        helper,
        "Check the schedule's end date under Invoices → Recurring: mine had ended, and the series stops "
        "silently. Set a new end date (or none) and it carries on from the next due date.",
        asked + dt.timedelta(hours=9),
    )
    command = _comment(number, 2, STAFF[0], "/answer", asked + dt.timedelta(days=1), "MEMBER")
    proposal = _comment(
        number,
        3,
        BOT,
        f"@{asker[0]}, @{STAFF[0][0]} thinks [this reply by @{helper[0]}]({answer['url']}) answers your question. "
        "If it does, reply **yes** or react 👍 to this comment and we'll mark it as the answer, so the next person "
        "with the same question finds it. If it doesn't, just tell us what is still missing.\n\n"
        f"<sub>crowdcare rule `responses.propose`: @{STAFF[0][0]} proposed a reply as the answer (`/answer`).</sub>"
        f"\n<!-- crowdcare:respond:propose reply={answer['id']} command={command['id']} -->",
        asked + dt.timedelta(days=1, minutes=40),
        bot=True,
    )
    yes = _comment(
        number, 4, asker, "Yes, that was it: the end date had passed. Thank you!", NOW - dt.timedelta(days=2)
    )
    body = "The recurring invoice for my cleaning contract went out every month, but nothing was sent in November."
    node = _discussion_node(number, title, body, asker, asked, "Q&A", [answer, command, proposal, yes], ["invoicing"])
    (folder / f"{number}.json").write_text(json.dumps(node, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote discussions 360-361 (proposed answers) into {folder}")


def write_ideas(rng: random.Random) -> None:
    folder = SNAPSHOT / "discussions"
    for path in sorted((Path(__file__).parent.parent / "ideas").glob("*.md")):
        node = _idea_discussion(path, rng)
        (folder / f"{node['number']}.json").write_text(json.dumps(node, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote the idea discussions behind ideas/*.md into {folder}")


def main() -> None:
    rng = random.Random(2026)  # noqa: S311 (made-up sample data, reproducible on purpose)
    start = NOW - dt.timedelta(days=60)
    folder = SNAPSHOT / "discussions"
    for index, title in enumerate(QUESTIONS):
        number = 320 + index
        asked = start + dt.timedelta(days=index * 1.75, hours=rng.uniform(0, 10))
        if index == len(QUESTIONS) - 1:
            plan = "silent"  # asked hours ago: still inside the community window
            asked = NOW - dt.timedelta(hours=7)
        elif index == len(QUESTIONS) - 2:
            plan = "silent"  # asked three days ago and nobody answered: the sweep acknowledges and escalates
            asked = NOW - dt.timedelta(days=3)
        elif index == 20:
            plan = "closed-returned"
        elif index == len(QUESTIONS) - 5:
            plan = "waiting"
        else:
            plan = "staff" if rng.random() < 0.35 else "community"
        asker = CUSTOMERS[index % len(CUSTOMERS)]
        node = _discussion(number, title, asker, asked, plan, rng)
        _add_promotion_triggers(node)
        (folder / f"{number}.json").write_text(json.dumps(node, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote discussions 320-{319 + len(QUESTIONS)} into {folder}")
    write_duplicate_claims()
    write_pending_bucket()
    write_proposed_answers()
    write_ideas(random.Random(101))  # noqa: S311


if __name__ == "__main__":
    main()
