# SPDX-License-Identifier: GPL-3.0-or-later
#
# corpus_support.py: product-support chats for the demo model's domain stage.
# Each chat starts with a long system prompt that describes an invented app
# (its screens, features, plans, limits and a fixed hand-off sentence), then
# has one to four user/assistant exchanges answered strictly from that
# description.  Every template and word list here was written for Whetstone;
# there is no third-party text.  All randomness goes through the caller's Gen.
#
#   support_chat(g) -> [("system", prompt), ("user", q), ("assistant", a), ...]


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

def _an(word):
    w = word.lower()
    if w.startswith(("a", "e", "i", "o", "u")) and not w.startswith(("uni", "use", "eu", "one")):
        return "an " + word
    return "a " + word


def _cap(s):
    return s[:1].upper() + s[1:] if s else s


def _low(s):
    # Lower-case the first letter unless it starts a name or "I".
    if len(s) > 1 and (s[1].isupper() or s.startswith(("I ", "I'"))):
        return s
    return s[:1].lower() + s[1:]


def _join(items, conj="and"):
    items = list(items)
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " " + conj + " " + items[-1]


def _weighted(g, pairs):
    total = sum(w for _, w in pairs)
    x = g.r.random() * total
    for item, w in pairs:
        if x < w:
            return item
        x -= w
    return pairs[-1][0]


class _Ctx(dict):
    """Placeholder values for one app; unknown keys are left as they are."""

    def __missing__(self, key):
        return "{" + key + "}"


def _fill(s, ctx):
    return s.format_map(ctx)


# ---------------------------------------------------------------------------
# Data builders.  A task is something a user can ask how to do; its "how" is
# "location | step | step", where the location is a screen or a path such as
# "{M} > Security".  Placeholders: {A} the app, {P} its paid plan, {M} the
# menu screen, and one key per screen role of the kind.
# ---------------------------------------------------------------------------

def T(qs, how, notes=(), lead=None):
    # lead: a sentence that always comes first, for questions the steps alone don't answer.
    return {"qs": qs, "how": how, "notes": list(notes), "lead": lead}


def F(short, desc, tasks):
    return {"short": short, "desc": desc if isinstance(desc, list) else [desc], "tasks": tasks}


def C(vp, qs, why=(), alt=None, altkey=None):
    return {"vp": vp, "qs": qs, "why": list(why), "alt": alt, "altkey": altkey}


def L(free, paid, qs):
    return {"free": free, "paid": paid, "qs": qs}


def X(desc, short, qs, how, notes=()):
    return {"desc": desc, "short": short, "qs": qs, "how": how, "notes": list(notes)}


# Features any app may add to its list.
DARK_MODE = F("dark mode", ["dark mode", "a dark theme"], [
    T(["Does {A} have a dark mode?", "How do I make the app dark?", "Can I change the theme?",
       "the screen is too bright at night, is there a dark theme?"],
      "{M} > Appearance | choose Dark",
      ["The System option makes {A} follow your device's own setting.",
       "You can switch back to Light the same way."]),
])
APP_LOCK = F("app lock", ["app lock with a PIN or fingerprint", "an app lock"], [
    T(["How do I lock the app?", "Can I put a PIN on {A}?", "can i stop other people opening {A} on my phone",
       "Is there a passcode option?"],
      "{M} > Security | turn on App lock | choose a PIN or use your fingerprint",
      ["{A} then asks for it every time it opens.",
       "If you forget the PIN, you can sign in again with your account email to reset it."]),
])

# Tasks every app shares; they rely only on the menu screen.
GENERIC_TASKS = [
    T(["How do I update my email address?", "I have a new email, how do I update it in {A}?",
       "can i change the email on my account"],
      "{M} > Account | tap Email | enter the new address and confirm it from the link we send",
      ["Your old address keeps working until you confirm the new one."]),
    T(["I got a new phone. Will my data come back?", "If I reinstall {A}, do I lose everything?",
       "moving to a new phone, what happens to my stuff"],
      "{M} > Account | check which email you're signed in with | use that same email on the new device",
      ["If you can't open the old device any more, sign in with the email you used when you joined {A}."],
      lead="Your data is kept with your {A} account, not on the device, so it all comes back when you sign in again."),
    T(["How do I sign out?", "where is log out", "How do I switch to a different account?"],
      "{M} > Account | scroll down | tap Sign out",
      ["Nothing is deleted when you sign out."]),
    T(["How do I upgrade to {P}?", "where can i buy {P}", "How do I get the paid plan?"],
      "{M} > Subscription | choose {P} | follow the payment steps",
      ["The new limits apply as soon as the payment goes through."]),
]


# ---------------------------------------------------------------------------
# The kinds of app.  roles: (placeholder, screen-name choices), in the order
# the prompt lists them; the last one is always the menu screen {M}.
# ---------------------------------------------------------------------------

MENU_NAMES = ["More", "Settings", "Account", "Profile", "Menu", "You"]

KINDS = []


def K(**kw):
    KINDS.append(kw)


K(weight=30,
  core=[0, 1, 2, 3],
  kinds=["personal budgeting", "budgeting", "money tracking", "household budgeting", "personal finance",
         "spending tracker"],
  roles=[("home", ["Home", "Overview", "Summary"]), ("tx", ["Transactions", "Activity", "Payments"]),
         ("bud", ["Budgets", "Budget", "Limits"]), ("goals", ["Goals", "Savings", "Targets"])],
  extra_secret=["online banking details", "bank sign-in details", "card security codes"],
  notifs=["budget alerts", "bill reminders", "weekly summaries"],
  features=[
      F("linked accounts", ["read-only linked bank accounts and manual accounts",
                            "linked bank accounts (read-only) and manual accounts"], [
          T(["How do I add my bank account?", "how do i link my bank", "Can I connect my credit card?",
             "How do I add my savings account to {A}?"],
            "{M} > Accounts | tap Add account | choose your bank and sign in on the bank's own page",
            ["If your bank isn't in the list, add it as a manual account and enter payments yourself.",
             "The link is read-only, so {A} can see payments but never change anything at your bank."]),
          T(["How do I track cash?", "Can I add an account that isn't at a bank?", "i pay cash a lot, how do i add that"],
            "{M} > Accounts | tap Add account | choose Manual and give it a name such as Cash",
            ["You then add each cash payment by hand with the + button on {tx}."]),
      ]),
      F("categories", ["categories and categorisation rules", "custom categories with automatic rules"], [
          T(["How do I change the category of a payment?", "a payment is in the wrong category, how do I fix it",
             "How do I recategorise a purchase?", "my coffee shows up as Travel??"],
            "{tx} | tap the payment | tap its category and pick the right one",
            ["To have future payments from the same place sorted that way, save it as a rule when {A} offers.",
             "The change counts towards that category's budget straight away."]),
          T(["Can I make my own categories?", "How do I add a new category?", "i need a category for my dog"],
            "{M} > Categories | tap New category | give it a name and an icon",
            ["You can also choose whether it counts as spending or as income."]),
          T(["How do rules work?", "Can {A} sort my payments automatically?", "How do I delete a rule?"],
            "{M} > Categories > Rules | tap a rule to edit or delete it, or tap Add rule",
            ["A rule matches the name of the shop and gives every new payment from it the category you chose."]),
      ]),
      F("budgets", ["monthly budgets per category, with optional rollover",
                    "monthly category budgets with an optional rollover"], [
          T(["How do I set a budget for groceries?", "How do I create a budget?",
             "can i set a spending limit for takeaways", "How do I change the amount of a budget?"],
            "{bud} | tap Add budget, or tap an existing one | choose the category and enter the monthly amount",
            ["The bar on each budget shows how much of it is left this month."]),
          T(["What is rollover?", "How do I turn on rollover?", "Can unspent money carry over to next month?",
             "what does the rollover switch do"],
            "{bud} | tap the budget | switch on Rollover",
            ["With it on, money left in a category moves into next month's amount, and an overspend is taken off it.",
             "Rollover is set for each budget on its own."]),
      ]),
      F("savings goals", ["savings goals", "savings goals with target dates"], [
          T(["How do I make a savings goal?", "Can I save up for a holiday in {A}?", "how do i set up a goal",
             "I want to save for a car, can {A} help?"],
            "{goals} | tap New goal | enter the target amount and the date you want to reach it",
            ["{A} then shows how much you need to put aside each month to get there."]),
          T(["How do I add money to a goal?", "I put some money aside, how do I record it?",
             "my goal isnt going up"],
            "{goals} | tap the goal | tap Add contribution and enter the amount",
            ["This only records the amount; {A} does not move any money itself."]),
      ]),
      F("bill reminders", ["bill reminders", "reminders for upcoming bills"], [
          T(["How do I get reminded about my rent?", "Can {A} remind me before a bill is due?",
             "how to add a bill reminder", "Can I get a reminder for my phone bill every month?"],
            "{M} > Bill reminders | tap Add | enter the name, the amount and the due date",
            ["You can choose how many days before the due date the reminder arrives.",
             "Set it to repeat monthly and it will come back every month."]),
      ]),
      F("CSV export", ["CSV export", "export to CSV"], [
          T(["How do I export my transactions?", "Can I get my data into a spreadsheet?",
             "can i download my spending as a csv", "I need my payments for my accountant."],
            "{M} > Export | choose the accounts and the date range | tap Export CSV",
            ["Any spreadsheet program can open the file."]),
      ]),
      F("split payments", ["split transactions", "splitting a payment across categories"], [
          T(["Can I split a payment between two categories?", "how do i split a transaction",
             "One shop receipt was food and clothes. Can I divide it?"],
            "{tx} | tap the payment | tap Split and give each part an amount and a category",
            ["The parts have to add up to the full amount before you can save."]),
      ]),
      F("spending charts", ["spending charts by category and month", "monthly spending charts"], [
          T(["Where can I see a chart of my spending?", "How much did I spend on food last month?",
             "is there a graph of where my money goes"],
            "{home} | scroll to Spending by category | use the arrows to change the month",
            ["Tap a slice of the chart to see the payments in it."]),
      ]),
      F("budget alerts", ["alerts when a budget is nearly used up", "budget alerts"], [
          T(["Can {A} warn me before I overspend?", "how do i get budget alerts",
             "Can I get a message when my grocery budget is almost gone?"],
            "{M} > Notifications | switch on Budget alerts",
            ["You'll get an alert when a category is close to its limit and another if it goes over."]),
      ]),
      DARK_MODE, APP_LOCK,
  ],
  cannots=[
      C("move money", ["Can I transfer money to my savings with {A}?", "can i send money to a friend from the app",
                       "How do I move money between my accounts in {A}?"],
        why=["it only reads your accounts", "the bank links are read-only"],
        alt="Make the transfer in your bank's own app, and it will show up in {A} after the next refresh."),
      C("pay bills", ["Can I pay my phone bill in {A}?", "Does {A} pay my rent automatically?",
                      "can the app pay my electric bill"],
        alt="It can remind you before a bill is due, though: add it in {M} > Bill reminders.", altkey="bill reminders"),
      C("track investments", ["Can I see my shares in {A}?", "does it track my pension",
                              "Can I add my stocks?"],
        why=["it works with bank accounts, cards and manual accounts"]),
      C("convert currencies", ["Can I use dollars and euros at the same time?", "Does {A} convert currencies?",
                               "i get paid in pounds but spend in euros, can {A} handle that"],
        why=["each profile uses one currency"]),
      C("file tax returns", ["Can {A} do my tax return?", "Will {A} send my taxes for me?"],
        alt="You can export your payments as a CSV for whoever does your taxes.", altkey="CSV export"),
      C("give financial advice", ["Should I pay off my loan or save first?", "What should I invest in?",
                                  "is it smart to buy a house now"],
        why=["it shows where your money goes but doesn't recommend what to do with it"]),
      C("scan receipts", ["Can I scan a receipt?", "can i take a photo of a receipt and add it"]),
  ],
  limits=[
      L(["one linked bank", "two linked banks"], ["unlimited linked banks", "up to ten linked banks"],
        ["How many banks can I link?", "Is there a limit on linked accounts?", "It won't let me link another bank.",
         "why cant i add my second bank"]),
      L(["two savings goals", "three savings goals", "one savings goal"], ["unlimited savings goals"],
        ["How many savings goals can I have?", "why can't I add another goal", "Is there a limit on goals?"]),
      L(["twelve months of history", "six months of history"], ["your full transaction history"],
        ["How far back can I see my payments?", "where are my older transactions",
         "Why can't I see last year's spending?"]),
  ],
  extras=[
      X(["a shared household of up to {n} people"], "shared households",
        ["Can my partner use the same budget?", "How do I share my budget with my flatmate?",
         "can two people use one {A} budget"],
        "{M} > Household | tap Invite | send the link to the other person",
        ["They need their own {A} account to join."]),
      X(["custom budget months that start on any day"], "custom budget months",
        ["Can I start my budget month on payday?", "I get paid on the 20th, can the month start then?"],
        "{M} > Budget settings | tap Month starts on | choose the day you're paid",
        ["Every budget then runs from that day to the day before it next month."]),
      X(["monthly PDF reports"], "PDF reports",
        ["Can I get a monthly report as a PDF?", "is there a printable summary"],
        "{M} > Reports | choose the month | tap Save as PDF"),
  ],
  ambig=[("My balance looks wrong.", "Is that a linked bank account or a manual account you added yourself?", [
      ("A linked one.", "Pull down on {tx} to refresh it first, since a linked balance can trail your bank by a few hours. "
                        "If it's still off, look on {home} for a message asking you to reconnect the bank."),
      ("Manual.", "A manual account only changes when you enter payments. Open {M} > Accounts, tap the account, "
                  "and tap Adjust balance to set the right figure."),
  ])],
  bug=["the app closes when I open {tx}", "{bud} shows zero for every category", "the app closes when I tap Save",
       "my goals disappeared"],
  )

K(weight=7,
  core=[0, 1, 4],
  kinds=["note-taking", "notes", "notebook"],
  roles=[("home", ["Notes", "All notes", "Home"]), ("nb", ["Notebooks", "Folders"]),
         ("search", ["Search", "Find"]), ("tags", ["Tags", "Labels"])],
  extra_secret=["sign-in codes"],
  notifs=["note reminders", "sync messages"],
  features=[
      F("notebooks", ["notebooks for grouping notes", "notebooks"], [
          T(["How do I make a new notebook?", "can i organise notes into folders", "How do I group my notes?"],
            "{nb} | tap New notebook | give it a name",
            ["New notes you create inside it stay there."]),
          T(["How do I move a note to another notebook?", "i put a note in the wrong notebook"],
            "{home} | tap the note | tap the three dots, choose Move and pick the notebook"),
      ]),
      F("tags", ["tags", "tags on notes"], [
          T(["Can I tag notes?", "how do i add a tag", "How do I see all notes with one tag?"],
            "{tags} | tap a tag to see every note that has it, or tap New tag",
            ["To tag a single note, open it and tap Add tag."]),
      ]),
      F("checklists", ["checklists", "checklists inside notes"], [
          T(["Can I make a checklist?", "how do i add tick boxes to a note", "Is there a to-do list option?"],
            "{home} | tap New note | tap the checkbox button in the toolbar",
            ["Ticked items move to the bottom of the list."]),
      ]),
      F("pinned notes", ["pinned notes", "pinning notes to the top"], [
          T(["How do I keep a note at the top?", "can i pin a note", "How do I unpin a note?"],
            "{home} | press and hold the note | tap Pin, or Unpin"),
      ]),
      F("search", ["full-text search", "search across all notes"], [
          T(["How do I find an old note?", "i cant find a note i wrote last year", "Can I search inside notes?"],
            "{search} | type a word that is in the note",
            ["It looks through the titles and the full text of every note."]),
      ]),
      F("a trash folder", ["a trash that keeps deleted notes for 30 days", "a 30-day trash"], [
          T(["I deleted a note by mistake.", "how do i get a deleted note back", "Where do deleted notes go?"],
            "{M} > Trash | tap the note | tap Restore",
            ["Notes stay in the trash for 30 days before they are removed for good."]),
      ]),
      F("export", ["plain-text and PDF export", "export to PDF or plain text"], [
          T(["How do I export a note?", "Can I save a note as a PDF?", "how to get my notes out as text"],
            "{home} | tap the note | tap Share and choose PDF or Plain text"),
      ]),
      F("note reminders", ["reminders on notes", "note reminders"], [
          T(["Can a note remind me of something?", "How do I set a reminder on a note?"],
            "{home} | tap the note | tap the bell and pick a date and time"),
      ]),
      F("sync", ["sync between your devices", "syncing across devices"], [
          T(["My notes aren't on my laptop.", "how does sync work", "Why don't my notes match on my phone and tablet?"],
            "{M} > Sync | check that both devices show the same account",
            ["Notes sync whenever the device is online, usually within a few seconds."]),
      ]),
      DARK_MODE, APP_LOCK,
  ],
  cannots=[
      C("recognise handwriting", ["Can {A} read my handwriting?", "can it turn handwriting into text"]),
      C("record audio", ["Can I record a voice note?", "Is there a voice memo option?"]),
      C("let several people edit a note at the same time", ["Can my colleague and I edit one note together?",
                                                             "does {A} have live collaboration"],
        alt="You can still send someone a copy from the Share button.", altkey="export"),
      C("import notes from other apps", ["Can I bring my notes over from another app?", "how do i import notes"],
        why=["new notes have to be created in it"]),
      C("draw or sketch", ["Can I draw in a note?", "is there a pen tool"]),
  ],
  limits=[
      L(["two devices", "one device"], ["unlimited devices"],
        ["How many devices can I use?", "Why won't my third device sync?", "is there a device limit"]),
      L(["five notebooks", "ten notebooks"], ["unlimited notebooks"],
        ["How many notebooks can I have?", "it won't let me make another notebook"]),
      L(["attachments up to 5 MB", "attachments up to 10 MB"], ["attachments up to 200 MB"],
        ["What's the biggest file I can attach?", "my attachment is too big"]),
  ],
  extras=[
      X(["version history for every note"], "version history",
        ["Can I see an older version of a note?", "i messed up a note, can i go back"],
        "{home} | tap the note | tap the three dots and choose History"),
      X(["note templates"], "templates",
        ["Are there templates for meeting notes?", "Can I save a note as a template?"],
        "{home} | tap New note | choose From template"),
  ],
  ambig=[],
  bug=["{search} finds nothing even for words I know are there", "the app freezes when I open {nb}",
       "the app closes when I tap New note"],
  )

K(weight=7,
  core=[0, 2, 3, 5],
  kinds=["habit tracking", "habit tracker", "fitness and habit"],
  roles=[("home", ["Today", "Home"]), ("habits", ["Habits", "Routines"]),
         ("stats", ["Stats", "Progress", "Insights"]), ("log", ["Workouts", "Activity", "Log"])],
  extra_secret=["sign-in codes"],
  notifs=["habit reminders", "streak messages"],
  features=[
      F("habits", ["daily and weekly habits", "habits on any schedule"], [
          T(["How do I add a habit?", "how do i start tracking a new habit", "Can I track drinking water?"],
            "{habits} | tap New habit | give it a name and choose the days",
            ["It then appears on {home} on those days."]),
          T(["How do I mark a habit as done?", "i did my habit, how do i tick it off"],
            "{home} | tap the circle next to the habit"),
      ]),
      F("reminders", ["reminders for each habit", "habit reminders"], [
          T(["Can {A} remind me to stretch?", "How do I set a reminder for a habit?", "reminders at 7am pls"],
            "{habits} | tap the habit | tap Reminder and choose the time"),
      ]),
      F("streaks", ["streaks, with rest days that don't break them", "streaks and rest days"], [
          T(["Will a day off break my streak?", "how do rest days work", "I lost my streak when I was ill."],
            "{habits} | tap the habit | choose Rest days and mark the days you plan to skip",
            ["Days marked as rest don't break the streak."]),
      ]),
      F("workout log", ["a workout log with type, length and notes", "logging workouts"], [
          T(["How do I log a run?", "Can I record a workout?", "where do i put my gym session"],
            "{log} | tap Add | choose the type and enter how long it took",
            ["You can add a short note, such as the route or the weights you used."]),
      ]),
      F("weekly targets", ["weekly targets such as three workouts a week", "weekly targets"], [
          T(["Can I set a goal of three runs a week?", "how do weekly targets work"],
            "{habits} | tap the habit | tap Target and set how many times a week",
            ["{stats} then shows, week by week, whether you reached the target."]),
      ]),
      F("progress charts", ["progress charts", "charts of your progress"], [
          T(["Where can I see my progress?", "Is there a chart of my workouts?", "how many times did i run last month"],
            "{stats} | pick the habit or workout type | switch between Week and Month"),
      ]),
      F("archiving", ["archiving habits you've stopped", "an archive for old habits"], [
          T(["How do I stop tracking a habit without losing its history?", "can i hide a habit"],
            "{habits} | tap the habit | tap Archive",
            ["Its history stays in {stats}, and you can bring it back from the archive later."]),
      ]),
      F("CSV export", ["CSV export", "export to CSV"], [
          T(["Can I export my data?", "how do i get my workouts into a spreadsheet"],
            "{M} > Export | choose the date range | tap Export CSV"),
      ]),
      DARK_MODE,
  ],
  cannots=[
      C("count steps on its own", ["Does {A} count my steps?", "can it track steps automatically"],
        alt="You can still log a walk yourself in {log}."),
      C("connect to heart-rate monitors", ["Can I connect my heart-rate strap?", "does it work with my chest strap"]),
      C("create training plans", ["Can {A} make me a training plan for a marathon?", "Will it plan my workouts?"]),
      C("give medical advice", ["Is it safe to run with a sore knee?", "How much exercise should I do with asthma?"],
        why=["a doctor is the right person for that"]),
      C("track sleep", ["Can {A} track my sleep?", "does it have sleep tracking"],
        alt="If you like, add a habit such as \"In bed by eleven\" and tick it off each day.", altkey="habits"),
  ],
  limits=[
      L(["five habits", "three habits"], ["unlimited habits"],
        ["How many habits can I track?", "It won't let me add another habit.", "is there a habit limit"]),
      L(["30 days of history", "90 days of history"], ["your full history"],
        ["How far back do my stats go?", "where is my history from last year"]),
  ],
  extras=[
      X(["yearly progress charts"], "yearly charts", ["Can I see a whole year of progress?", "is there a yearly view"],
        "{stats} | tap Year"),
      X(["challenges with up to {n} friends"], "challenges",
        ["Can I do a habit together with a friend?", "how do challenges work"],
        "{habits} | tap the habit | tap Challenge a friend and send the link",
        ["Each person sees the others' ticks for that habit."]),
  ],
  ambig=[("My streak is wrong.", "Is the streak lower than you expected, or did it reset to zero?", [
      ("It went back to zero.", "A streak resets when a planned day has no tick and isn't marked as a rest day. "
                                "Open {habits}, tap the habit and check which day is missing."),
      ("It's lower, not zero.", "The streak only counts the days the habit is scheduled for. "
                                "Open {habits}, tap the habit and look at its days to see which ones count."),
  ])],
  bug=["{stats} is empty even though I logged workouts", "ticks on {home} vanish overnight", "the app crashes when I tap Add"],
  )

K(weight=7,
  core=[0, 2, 3, 4],
  kinds=["recipe", "recipe and meal planning", "cooking"],
  roles=[("home", ["Recipes", "Cookbook", "Home"]), ("plan", ["Meal plan", "Planner", "Week"]),
         ("shop", ["Shopping list", "Groceries"]), ("find", ["Search", "Explore"])],
  extra_secret=["sign-in codes"],
  notifs=["meal plan reminders", "new recipe suggestions"],
  features=[
      F("web import", ["saving recipes from a web link", "importing recipes from websites"], [
          T(["How do I save a recipe from a website?", "can i add a recipe from a link", "How do I import a recipe?"],
            "{home} | tap Add | paste the link and tap Import",
            ["Check the ingredients afterwards, because some pages don't import cleanly."]),
      ]),
      F("own recipes", ["writing your own recipes", "your own recipes"], [
          T(["Can I add my grandmother's recipe?", "how do i type in my own recipe"],
            "{home} | tap Add | choose Write my own and fill in the ingredients and steps"),
      ]),
      F("scaling", ["scaling recipes to any number of servings", "servings scaling"], [
          T(["Can I make a recipe for eight people instead of four?", "how do i change the servings",
             "the recipe is for 2 but we are 6"],
            "{home} | tap the recipe | change the number next to Servings",
            ["The ingredient amounts update to match."]),
      ]),
      F("meal plan", ["a weekly meal plan", "meal planning by week"], [
          T(["How do I plan my dinners for the week?", "can i put a recipe on tuesday", "How does the meal plan work?"],
            "{plan} | tap a day | choose a recipe from your collection",
            ["Each day can hold several meals, and you can swap them around later."]),
      ]),
      F("shopping list", ["a shopping list built from the meal plan", "automatic shopping lists"], [
          T(["Can {A} make a shopping list from my meal plan?", "how do i get the ingredients on a list"],
            "{plan} | tap Add to list",
            ["Everything you need for the week then appears in {shop}, grouped by aisle."]),
          T(["How do I add something that isn't in a recipe to my list?", "can i add milk to the list"],
            "{shop} | tap the + button | type the item"),
      ]),
      F("cook mode", ["a step-by-step cook mode that keeps the screen on", "cook mode"], [
          T(["My screen keeps turning off while I cook.", "Is there a cooking mode?", "how do i use cook mode"],
            "{home} | tap the recipe | tap Start cooking",
            ["Cook mode shows one step at a time and keeps the screen awake."]),
      ]),
      F("timers", ["timers inside recipe steps", "step timers"], [
          T(["Can I set a timer from a recipe?", "does {A} have timers"],
            "{home} | tap the recipe | tap the time shown in a step",
            ["You can run more than one timer at once."]),
      ]),
      F("collections", ["collections for grouping recipes", "recipe collections"], [
          T(["How do I group my recipes?", "can i make a folder for desserts"],
            "{home} | tap Collections | tap New collection and name it"),
      ]),
      F("recipe notes", ["personal notes on each recipe", "recipe notes"], [
          T(["Can I add my own notes to a recipe?", "where do i write that i used less sugar"],
            "{home} | tap the recipe | scroll down and tap Add note"),
      ]),
      DARK_MODE,
  ],
  cannots=[
      C("order groceries for delivery", ["Can I order my shopping list from a supermarket?",
                                         "does {A} deliver groceries"],
        alt="You can share your list from {shop} and use it in a shop's own app.", altkey="shopping list"),
      C("count calories", ["How many calories are in this recipe?", "does {A} show nutrition info"]),
      C("suggest recipes from what's in your fridge", ["I have eggs and spinach, what can I make?",
                                                      "can it suggest meals from my leftovers"]),
      C("read recipes aloud", ["Can {A} read the steps out loud?", "is there voice mode"]),
      C("convert recipes to other diets", ["Can {A} make a recipe vegan?", "can it swap ingredients for gluten free"]),
  ],
  limits=[
      L(["50 saved recipes", "100 saved recipes"], ["unlimited recipes"],
        ["How many recipes can I save?", "it says I've reached my recipe limit", "is there a recipe limit"]),
      L(["one week of meal plans at a time"], ["meal plans up to four weeks ahead"],
        ["How far ahead can I plan meals?", "can i plan next month"]),
  ],
  extras=[
      X(["a shopping list shared with up to {n} people"], "shared shopping lists",
        ["Can my partner see the shopping list?", "how do i share the list with my family"],
        "{shop} | tap Share | send the invite link",
        ["Items ticked by one person disappear for everyone."]),
      X(["a pantry list of things you already have"], "the pantry list",
        ["Can {A} skip things I already have at home?", "what is the pantry"],
        "{shop} | tap Pantry | add the things you always keep at home",
        ["Items on the pantry list are left off new shopping lists."]),
  ],
  ambig=[("The recipe amounts are wrong.", "Do the amounts look wrong in a recipe you imported, or did they change when you changed the servings?", [
      ("It was imported from a website.", "Some pages don't import cleanly. Open the recipe in {home}, tap Edit, and correct the amounts by hand."),
      ("After I changed the servings.", "Scaling multiplies every amount, which can give odd figures for things like eggs. "
                                       "Tap the recipe in {home} and set Servings back to the original number to check."),
  ])],
  bug=["imported recipes come in with no steps", "{plan} shows last week's meals", "the app crashes when I open a recipe"],
  )

K(weight=7,
  core=[0, 2, 3, 5, 6, 7],
  kinds=["photo storage", "photo backup", "photo library"],
  phones_only=True,
  roles=[("home", ["Photos", "Library", "Timeline"]), ("albums", ["Albums", "Collections"]),
         ("shared", ["Shared", "Sharing"]), ("find", ["Search", "Explore"])],
  extra_secret=["sign-in codes"],
  notifs=["backup messages", "shared album updates"],
  features=[
      F("automatic backup", ["automatic backup from your phone", "automatic photo backup"], [
          T(["How do I turn on backup?", "how do i make sure my photos are backed up", "Can {A} back up on Wi-Fi only?"],
            "{M} > Backup | turn on Back up photos | choose Wi-Fi only if you want to save mobile data",
            ["The bar at the top of {home} shows how many photos are still waiting."]),
      ]),
      F("videos", ["video backup", "backing up videos as well as photos"], [
          T(["Does {A} back up videos too?", "my videos are not uploading"],
            "{M} > Backup | turn on Include videos",
            ["Large videos only upload while the phone is charging if Wi-Fi only is on."]),
      ]),
      F("albums", ["albums", "your own albums"], [
          T(["How do I make an album?", "can i put photos in folders", "How do I add photos to an album?"],
            "{albums} | tap New album | name it and pick the photos"),
      ]),
      F("shared albums", ["shared albums by link", "sharing albums with a link"], [
          T(["How do I share an album with my family?", "can i send an album to someone without the app"],
            "{albums} | tap the album | tap Share and copy the link",
            ["Anyone with the link can view it; you can turn the link off again in {shared}."]),
      ]),
      F("favourites", ["favourites", "marking favourites"], [
          T(["How do I mark a favourite?", "where are my favourite photos"],
            "{home} | tap the photo | tap the heart",
            ["All favourites are collected in {albums} > Favourites."]),
      ]),
      F("search", ["search by date and place", "searching by date or place"], [
          T(["How do I find photos from my holiday in 2019?", "can i search photos by place",
             "where are my pictures from last summer"],
            "{find} | type a place or a month and year"),
      ]),
      F("recently deleted", ["a Recently deleted album that keeps photos for 30 days", "a 30-day Recently deleted album"], [
          T(["I deleted a photo by mistake.", "how do i get back a deleted picture", "Can I undo a delete?"],
            "{albums} > Recently deleted | tap the photo | tap Restore",
            ["Photos stay there for 30 days and are then removed for good."]),
      ]),
      F("free up space", ["freeing up space on your phone", "a Free up space tool"], [
          T(["My phone is full. Can {A} help?", "how do i remove backed-up photos from my phone"],
            "{M} > Free up space | check the number | tap Remove from device",
            ["Only photos that are already backed up are removed, and they stay in {A}."]),
      ]),
      F("downloads", ["downloading originals", "downloading full-size originals"], [
          T(["How do I download a photo in full size?", "can i save a picture back to my phone"],
            "{home} | tap the photo | tap the three dots and choose Download original"),
      ]),
      DARK_MODE,
  ],
  cannots=[
      C("edit photos", ["Can I crop a photo in {A}?", "are there filters", "How do I edit a picture?"],
        why=["it stores and organises them"]),
      C("order prints", ["Can I order prints?", "can i get a photo book made"],
        alt="You can download the originals and take them to a print shop.", altkey="downloads"),
      C("recognise faces", ["Can {A} group photos by person?", "does it find my kids in photos"]),
      C("back up from cameras or memory cards", ["Can I back up my camera's SD card?",
                                                "how do i upload from my camera"]),
      C("recover photos that were never backed up", ["I lost my phone, can you get back photos that didn't upload?",
                                                    "can you recover photos from my old phone"]),
  ],
  limits=[
      L(["5 GB of storage", "10 GB of storage", "15 GB of storage"], ["200 GB of storage", "1 TB of storage"],
        ["How much space do I get?", "it says my storage is full", "What happens when I run out of space?"]),
      L(["three shared albums", "two shared albums"], ["unlimited shared albums"],
        ["How many albums can I share?", "why can't I share another album"]),
  ],
  extras=[
      X(["a locked folder for private photos"], "the locked folder",
        ["Can I hide some photos?", "is there a private folder"],
        "{albums} > Locked folder | set a PIN | move photos in from the three dots menu",
        ["Photos in the locked folder don't appear in {home} or in search."]),
      X(["family sharing for up to {n} people"], "family sharing",
        ["Can my family share one plan?", "how do i add my husband to my plan"],
        "{M} > Family | tap Invite | send the link",
        ["Each person keeps their own photos private unless they share them."]),
  ],
  ambig=[("My photos are missing.", "Are they missing from {A} itself, or from your phone's own gallery?", [
      ("From {A}.", "Check {albums} > Recently deleted first. If they aren't there, make sure you're signed in with the same account in {M} > Account."),
      ("From my phone's gallery.", "That can happen after Free up space, which removes backed-up copies from the phone. "
                                   "They are still in {A}, and you can download any of them from {home}."),
  ])],
  bug=["backup is stuck on one photo", "{home} shows grey squares instead of pictures", "the share link opens an error page"],
  )

K(weight=7,
  core=[0, 3, 4, 5, 6],
  kinds=["calendar", "scheduling", "family calendar"],
  roles=[("home", ["Agenda", "Today"]), ("cal", ["Month", "Calendar"]), ("inv", ["Invites", "Inbox"]),
         ("cals", ["Calendars", "Sources"])],
  extra_secret=["sign-in codes"],
  notifs=["event reminders", "invite messages"],
  features=[
      F("events", ["events with times and places", "creating events"], [
          T(["How do I add an event?", "how do i put a dentist appointment in", "Can I add a place to an event?"],
            "{cal} | tap the day | tap New event and fill in the title, time and place"),
      ]),
      F("repeating events", ["repeating events", "events that repeat"], [
          T(["How do I make an event repeat every week?", "can i set something for every month"],
            "{cal} | tap the event | tap Repeat and choose how often",
            ["When you edit a repeating event, {A} asks whether to change only that one or the whole series."]),
      ]),
      F("reminders", ["reminders before events", "event reminders"], [
          T(["Can I get a reminder before a meeting?", "how do i get a reminder a day before"],
            "{cal} | tap the event | tap Reminder and choose how long before",
            ["You can add more than one reminder to the same event."]),
      ]),
      F("invites", ["inviting people by email and answering invites", "email invites"], [
          T(["How do I invite someone to an event?", "can i send an invite to my friend"],
            "{cal} | tap the event | tap Invite and enter their email address"),
          T(["Where do I see invitations?", "how do i accept an invite"],
            "{inv} | tap the invite | choose Yes, No or Maybe",
            ["New invitations wait in {inv} until you answer them."]),
      ]),
      F("time zones", ["events in other time zones", "time zones per event"], [
          T(["My flight is in another time zone. How do I add it?", "can an event have its own time zone"],
            "{cal} | tap the event | tap Time zone and pick the zone it happens in",
            ["{A} then shows it at the right local time wherever you are."]),
      ]),
      F("calendar colours", ["separate calendars with their own colours", "colours for each calendar"], [
          T(["Can I have a separate calendar for work?", "how do i change a calendar's colour"],
            "{cals} | tap New calendar, or tap an existing one | choose a name and a colour"),
      ]),
      F("connected calendars", ["connecting Google and Outlook calendars", "syncing with Google and Outlook"], [
          T(["Can I see my Google calendar in {A}?", "how do i connect outlook", "My work calendar isn't showing."],
            "{cals} | tap Connect | choose Google or Outlook and sign in on their page",
            ["Changes can take a few minutes to appear in both places."]),
      ]),
      F("week view", ["week and month views", "a week view"], [
          T(["Can I see the whole week at once?", "how do i switch to week view"],
            "{cal} | tap the view button at the top | choose Week"),
      ]),
      DARK_MODE,
  ],
  cannots=[
      C("book meeting rooms", ["Can I book a meeting room with {A}?", "does it reserve rooms"]),
      C("find a time that suits everyone", ["Can {A} find a time when all five of us are free?",
                                           "can it suggest a meeting time"]),
      C("make video calls", ["Can I start a video call from an event?", "does {A} do video meetings"],
        alt="You can paste a call link into the event's notes so everyone has it."),
      C("send text messages", ["Can {A} text my guests?", "will it send an SMS reminder"],
        alt="Guests invited by email get the invitation and any changes by email.", altkey="invites"),
      C("work out travel time", ["Can it tell me when to leave?", "does {A} add travel time"]),
  ],
  limits=[
      L(["two connected calendars", "one connected calendar"], ["unlimited connected calendars"],
        ["How many calendars can I connect?", "why can't I add my second Google account"]),
      L(["three calendars of your own", "five calendars of your own"], ["unlimited calendars"],
        ["How many calendars can I make?", "it won't let me create another calendar"]),
  ],
  extras=[
      X(["a shared family calendar for up to {n} people"], "the family calendar",
        ["Can my family see the same calendar?", "how do i share a calendar with my kids"],
        "{cals} | tap Family | tap Invite and send the link"),
      X(["files attached to events"], "attachments",
        ["Can I attach a ticket to an event?", "can i add a PDF to an event"],
        "{cal} | tap the event | tap Attach and choose the file"),
  ],
  ambig=[("An event is at the wrong time.", "Is it an event you created in {A}, or one from a connected Google or Outlook calendar?", [
      ("One I made.", "Open it in {cal} and check its Time zone setting; an event set to another zone shows at that zone's time."),
      ("From my Google calendar.", "Connected events keep the time zone they have in Google. Check the time zone of that calendar on Google's side, then pull down in {home} to refresh."),
  ])],
  bug=["{cal} shows events twice", "the app crashes when I add an event", "the app crashes when I accept an invite"],
  )

K(weight=7,
  core=[0, 2, 3, 6, 7],
  kinds=["language learning", "vocabulary", "language course"],
  roles=[("home", ["Learn", "Home", "Today"]), ("review", ["Review", "Practice"]),
         ("words", ["Words", "Vocabulary", "Phrasebook"]), ("prog", ["Progress", "Stats"])],
  extra_secret=["sign-in codes"],
  notifs=["lesson reminders", "review reminders"],
  features=[
      F("lessons", ["short daily lessons", "daily lessons"], [
          T(["How do I start a lesson?", "where are the lessons", "How do I do today's lesson?"],
            "{home} | tap the next lesson on the path",
            ["Each lesson takes about five minutes."]),
      ]),
      F("courses", ["choosing and switching courses", "several language courses"], [
          T(["How do I switch to Spanish?", "can i change the language i'm learning", "How do I add a second course?"],
            "{M} > Courses | tap Add course, or tap the one you want to switch to",
            ["Your progress in each course is kept separately."]),
      ]),
      F("spaced review", ["spaced review of words you've learned", "spaced review"], [
          T(["How do I practise old words?", "what is review", "i keep forgetting words"],
            "{review} | tap Start review",
            ["Words you get wrong come back sooner, and words you know come back less often."]),
      ]),
      F("word list", ["a word list with audio", "saved words with audio"], [
          T(["Where can I see all the words I've learned?", "how do i hear how a word sounds"],
            "{words} | tap a word to hear it and see example sentences",
            ["Tap the star on any word in a lesson to save it there."]),
      ]),
      F("daily goal", ["a daily goal in minutes", "daily goals"], [
          T(["How do I change my daily goal?", "can i set 10 minutes a day"],
            "{prog} | tap Daily goal | choose the number of minutes"),
      ]),
      F("reminders", ["lesson reminders", "daily reminders"], [
          T(["Can {A} remind me to practise?", "how do i change the reminder time"],
            "{M} > Notifications | tap Lesson reminder | pick the time"),
      ]),
      F("speaking exercises", ["speaking exercises with the microphone", "speaking practice"], [
          T(["How do speaking exercises work?", "Can I turn off speaking exercises?"],
            "{M} > Lessons | switch Speaking exercises on or off",
            ["They need permission to use the microphone, which your device asks for the first time."]),
      ]),
      F("progress charts", ["progress charts and streaks", "streaks and progress charts"], [
          T(["Where can I see my progress?", "how long is my streak", "How many words do I know?"],
            "{prog} | scroll to see your streak, minutes and words learned"),
      ]),
      DARK_MODE,
  ],
  cannots=[
      C("translate whole documents", ["Can {A} translate my letter?", "can i paste a text to translate"]),
      C("connect you with a live tutor", ["Can I talk to a real teacher?", "does {A} have tutors"]),
      C("mark essays", ["Can you check my essay?", "will {A} correct my writing"]),
      C("issue official certificates", ["Do I get a certificate at the end?", "is there an official exam"],
        alt="{prog} shows what you've completed, which you can share as a screenshot."),
      C("teach sign language", ["Do you have sign language courses?", "can i learn sign language here"]),
  ],
  limits=[
      L(["one course at a time"], ["any number of courses at once"],
        ["Can I learn two languages at the same time?", "how many courses can i take"]),
      L(["five lessons a day", "three lessons a day"], ["unlimited lessons"],
        ["Why can't I do another lesson today?", "is there a daily lesson limit"]),
  ],
  extras=[
      X(["downloading lessons for offline use"], "offline lessons",
        ["Can I use {A} on a plane?", "can i download lessons"],
        "{home} | tap the course name | tap Download for offline use"),
      X(["a family plan for up to {n} learners"], "the family plan",
        ["Can my kids use my subscription?", "is there a family plan"],
        "{M} > Family | tap Invite | send the link to each learner",
        ["Each learner keeps their own courses and progress."]),
  ],
  ambig=[("The audio doesn't work.", "Is it silent in lessons, or does the microphone not pick you up in speaking exercises?", [
      ("No sound in lessons.", "Check that your device isn't on silent and that the volume is up, then restart the lesson from {home}."),
      ("The microphone.", "Make sure {A} is allowed to use the microphone in your device's privacy settings, then try the exercise again."),
  ])],
  bug=["my streak reset even though I practised", "{review} keeps showing the same word", "lessons freeze on the last question"],
  )

K(weight=7,
  core=[0, 3, 6],
  kinds=["to-do list", "task manager", "task list"],
  roles=[("home", ["Today", "Inbox"]), ("up", ["Upcoming", "Planned", "Next"]),
         ("proj", ["Projects", "Lists"]), ("done", ["Completed", "Done", "Logbook"])],
  extra_secret=["sign-in codes"],
  notifs=["task reminders", "daily summaries"],
  features=[
      F("tasks", ["tasks with due dates", "tasks and due dates"], [
          T(["How do I add a task?", "how do i put something on my list for friday", "Can I give a task a due date?"],
            "{home} | tap the + button | type the task and tap the calendar icon to set a date",
            ["Tasks with a date also appear in {up}."]),
      ]),
      F("reminders", ["reminders at a set time", "task reminders"], [
          T(["Can {A} remind me about a task?", "how do i set a reminder for 3pm"],
            "{home} | tap the task | tap Remind me and choose the time"),
      ]),
      F("repeating tasks", ["repeating tasks", "tasks that repeat"], [
          T(["How do I make a task repeat every week?", "can i have a task every monday"],
            "{home} | tap the task | tap Repeat and choose how often",
            ["When you tick it off, the next one appears with the new date."]),
      ]),
      F("projects", ["projects for grouping tasks", "lists and projects"], [
          T(["How do I make a new list?", "can i keep work and home tasks apart"],
            "{proj} | tap New | give it a name",
            ["To move a task, tap it and change the list shown at the top."]),
      ]),
      F("subtasks", ["subtasks", "steps inside a task"], [
          T(["Can I break a task into smaller steps?", "how do subtasks work"],
            "{home} | tap the task | tap Add step",
            ["Each step has its own tick, and the task stays open until you tick the task itself."]),
      ]),
      F("priorities", ["priorities", "three priority levels"], [
          T(["Can I mark a task as important?", "how do i set priority"],
            "{home} | tap the task | tap the flag and pick High, Medium or Low"),
      ]),
      F("completed list", ["a list of completed tasks", "a completed-tasks log"], [
          T(["I ticked a task by mistake.", "where do finished tasks go", "How do I undo a completed task?"],
            "{done} | find the task | tap its tick to bring it back",
            ["Ticked tasks move to {done}, and unticking one puts it back where it was."]),
      ]),
      F("search", ["search across all tasks", "search"], [
          T(["How do I find a task?", "can i search my tasks"],
            "{home} | pull down to show the search bar | type a word from the task"),
      ]),
      DARK_MODE, APP_LOCK,
  ],
  cannots=[
      C("track time spent on tasks", ["Can {A} track how long a task takes?", "is there a timer for tasks"]),
      C("assign tasks to other people", ["Can I give a task to my colleague?", "how do i assign a task"]),
      C("turn emails into tasks", ["Can I forward an email to {A}?", "can it make tasks from my email"]),
      C("import tasks from other apps", ["Can I bring my tasks from another app?", "how do i import my old list"]),
      C("show Gantt charts", ["Is there a timeline or Gantt view?", "can i see my project as a chart"],
        alt="{up} shows everything with a date in order.", altkey="tasks"),
  ],
  limits=[
      L(["five projects", "ten lists"], ["unlimited projects and lists"],
        ["How many lists can I have?", "it won't let me make another project", "is there a limit on projects"]),
      L(["30 days of completed tasks"], ["your full history of completed tasks"],
        ["Where are tasks I finished months ago?", "how long does {done} keep tasks"]),
  ],
  extras=[
      X(["shared lists with up to {n} people"], "shared lists",
        ["Can I share a list with my partner?", "how do we use one shopping list together"],
        "{proj} | tap the list | tap Share and send the invite link",
        ["Everyone on the list can add and tick off tasks."]),
      X(["reminders when you arrive at a place"], "location reminders",
        ["Can {A} remind me when I get to the shop?", "are there location reminders"],
        "{home} | tap the task | tap Remind me, choose At a place and pick the address"),
  ],
  ambig=[("My tasks disappeared.", "Did they disappear from {home} only, or can't you find them anywhere in {A}?", [
      ("Just from {home}.", "{home} only shows tasks for today. Tasks with a later date are in {up}, and ticked ones are in {done}."),
      ("Everywhere.", "Check that you're signed in with your usual email in {M} > Account; a second account would look empty."),
  ])],
  bug=["the app freezes when I add a task", "the + button does nothing", "{up} is blank"],
  )

K(weight=7,
  core=[0, 1, 3],
  kinds=["reading list", "book tracking", "reading tracker"],
  roles=[("home", ["Home", "Now reading"]), ("lib", ["Library", "Shelves", "Books"]),
         ("find", ["Search", "Discover"]), ("stats", ["Stats", "Year"])],
  extra_secret=["sign-in codes"],
  notifs=["reading reminders", "goal updates"],
  features=[
      F("adding books", ["adding books by title or barcode", "adding books by search or barcode"], [
          T(["How do I add a book?", "can i scan the barcode of a book"],
            "{find} | type the title or tap the barcode button | tap Add to library",
            ["If a book can't be found, tap Add manually and type in the details."]),
      ]),
      F("shelves", ["shelves for want to read, reading and read", "reading shelves"], [
          T(["How do I mark a book as finished?", "how do i move a book to read"],
            "{lib} | tap the book | tap its shelf and choose another",
            ["To make your own shelf, tap New shelf at the top of {lib}."]),
      ]),
      F("page progress", ["page progress", "tracking your page"], [
          T(["How do I update what page I'm on?", "can i track my progress in a book"],
            "{home} | tap the book | enter the page you've reached"),
      ]),
      F("reading goal", ["a yearly reading goal", "yearly reading goals"], [
          T(["Can I set a goal of 20 books this year?", "how do i change my reading goal"],
            "{stats} | tap Reading goal | enter the number of books"),
      ]),
      F("book notes", ["notes and quotes for each book", "quotes and notes"], [
          T(["Can I save a quote from a book?", "where can i write notes about a book"],
            "{lib} | tap the book | tap Notes and add a note or quote with its page"),
      ]),
      F("ratings", ["star ratings", "ratings for finished books"], [
          T(["How do I rate a book?", "can i give half stars"],
            "{lib} | tap the book | tap the stars under the title"),
      ]),
      F("CSV import", ["CSV import from other apps", "importing a CSV file"], [
          T(["Can I bring my books over from another app?", "how do i import my list"],
            "{M} > Import | choose the CSV file | match the title and author columns"),
      ]),
      F("CSV export", ["CSV export", "export to CSV"], [
          T(["How do I export my library?", "can i get a list of all my books"],
            "{M} > Export | tap Export CSV"),
      ]),
      DARK_MODE,
  ],
  cannots=[
      C("sell books or e-books", ["Can I buy the book in {A}?", "where do i buy books"]),
      C("let you read books inside the app", ["Can I read the e-book in {A}?", "how do i open the book to read it"],
        why=["it keeps track of your reading"]),
      C("sync with e-readers", ["Does {A} connect to my e-reader?", "can it get my progress from my kindle"],
        alt="You can update your page by hand on {home}.", altkey="page progress"),
      C("show reviews from other readers", ["Can I see what others thought of a book?", "are there reviews"]),
      C("lend books to friends", ["Can I lend a book to a friend through {A}?"]),
  ],
  limits=[
      L(["three custom shelves", "two custom shelves"], ["unlimited shelves"],
        ["How many shelves can I make?", "it won't let me add a shelf"]),
      L(["200 books in your library", "100 books in your library"], ["unlimited books"],
        ["Is there a limit on books?", "why cant i add more books"]),
  ],
  extras=[
      X(["a yearly reading report"], "the yearly report",
        ["Is there a summary of my reading year?", "can i see my year in books"],
        "{stats} | tap the year | tap Report"),
      X(["a reading club with up to {n} friends"], "reading clubs",
        ["Can I read a book together with friends?", "how do reading clubs work"],
        "{lib} | tap the book | tap Start a club and send the link",
        ["Members can see each other's progress in that book."]),
  ],
  ambig=[],
  bug=["the barcode scanner shows a black screen", "{stats} counts a book twice", "my shelves are empty"],
  )

K(weight=7,
  core=[0, 1, 3, 4],
  kinds=["plant care", "houseplant care", "gardening"],
  roles=[("home", ["Today", "Home"]), ("plants", ["Plants", "My plants", "Garden"]),
         ("rooms", ["Rooms", "Spaces", "Places"]), ("journal", ["Journal", "Diary"])],
  extra_secret=["sign-in codes"],
  notifs=["watering reminders", "feeding reminders"],
  features=[
      F("plants", ["adding plants with a name and photo", "your own plant list"], [
          T(["How do I add a plant?", "how do i put my new fern in", "Can I add a photo of my plant?"],
            "{plants} | tap Add plant | give it a name, a photo and a room"),
      ]),
      F("watering", ["watering reminders for each plant", "watering schedules"], [
          T(["How do I set how often to water?", "my cactus doesnt need water every week", "Can {A} remind me to water?"],
            "{plants} | tap the plant | tap Watering and choose every how many days",
            ["The reminder then appears on {home} on the right days."]),
          T(["How do I mark a plant as watered?", "i watered it but it still says to water"],
            "{home} | tap the plant | tap Watered",
            ["The next reminder is counted from the day you tap it."]),
      ]),
      F("feeding", ["feeding reminders", "fertiliser reminders"], [
          T(["Can I get reminded to feed my plants?", "how do fertiliser reminders work"],
            "{plants} | tap the plant | tap Feeding and choose how often",
            ["When a plant is due, the reminder shows up on {home} next to any watering."]),
      ]),
      F("rooms", ["rooms with their light level", "rooms and light levels"], [
          T(["How do I add a room?", "can i group plants by room"],
            "{rooms} | tap Add room | name it and choose its light level",
            ["To move a plant, tap it in {plants} and change its room."]),
      ]),
      F("journal", ["a photo journal", "a growth journal with photos"], [
          T(["Can I track how my plant grows?", "how do i add a photo to the journal"],
            "{journal} | tap New entry | pick the plant and add a photo and a note"),
      ]),
      F("snooze", ["snoozing a reminder", "snoozing reminders by a day"], [
          T(["The soil is still wet, can I skip watering today?", "how do i snooze a reminder"],
            "{home} | tap the plant | tap Snooze and choose how many days"),
      ]),
      F("holiday mode", ["holiday mode that pauses reminders", "pausing reminders while you're away"], [
          T(["I'm going away for two weeks.", "can i pause all reminders", "How does holiday mode work?"],
            "{M} > Holiday mode | choose the dates",
            ["Reminders stop during those dates and start again the day you're back."]),
      ]),
      F("care notes", ["care notes on each plant", "notes for each plant"], [
          T(["Where can I write notes about a plant?", "can i note when i repotted it"],
            "{plants} | tap the plant | tap Notes"),
      ]),
      DARK_MODE,
  ],
  cannots=[
      C("identify plants from a photo", ["Can {A} tell me what plant this is?", "can it recognise plants from a picture"]),
      C("diagnose plant diseases", ["Why are my leaves turning yellow?", "My plant has brown spots, what's wrong?"],
        alt="You could record the change in {journal} with a photo and check back on it.", altkey="journal"),
      C("control watering devices", ["Can {A} switch on my sprinkler?", "does it work with smart watering kits"]),
      C("use the local weather", ["Does {A} know when it rains?", "will it skip watering if it rained"]),
      C("sell plants or supplies", ["Can I buy soil in {A}?", "do you sell plants"]),
  ],
  limits=[
      L(["ten plants", "fifteen plants", "five plants"], ["unlimited plants"],
        ["How many plants can I add?", "it says I have too many plants", "is there a plant limit"]),
      L(["two rooms", "three rooms"], ["unlimited rooms"],
        ["How many rooms can I have?", "why can't I add a room"]),
  ],
  extras=[
      X(["shared care with up to {n} housemates"], "shared care",
        ["Can my housemate water the plants too?", "can two people look after the same plants"],
        "{M} > Household | tap Invite | send the link",
        ["When one person taps Watered, it updates for everyone."]),
      X(["care history charts"], "care history",
        ["Can I see when I watered in the past?", "is there a watering history"],
        "{plants} | tap the plant | tap History"),
  ],
  ambig=[("The reminders are wrong.", "Are the reminders coming on the wrong days, or not arriving at all?", [
      ("Wrong days.", "Each plant counts from the last time you tapped Watered. Open {plants}, tap the plant and check its Watering setting."),
      ("Not at all.", "Check {M} > Notifications first, and make sure your device allows notifications from {A}."),
  ])],
  bug=["photos in {journal} won't load", "the app crashes when I add a room", "{home} lists a plant I deleted"],
  )

K(weight=7,
  core=[0, 1, 2, 3],
  kinds=["travel planning", "trip planning", "travel itinerary"],
  roles=[("home", ["Trips", "Home"]), ("plan", ["Itinerary", "Plan", "Days"]),
         ("pack", ["Packing", "Packing list"]), ("docs", ["Documents", "Bookings", "Tickets"])],
  extra_secret=["passport numbers", "sign-in codes"],
  notifs=["trip reminders", "packing reminders"],
  features=[
      F("trips", ["trips with dates and places", "creating trips"], [
          T(["How do I start a new trip?", "how do i add my holiday", "How do I set up a trip?"],
            "{home} | tap New trip | enter the place and the dates"),
      ]),
      F("itinerary", ["a day-by-day itinerary", "daily itineraries"], [
          T(["How do I add a museum visit on day two?", "how do i plan each day"],
            "{plan} | tap the day | tap Add and enter the time and place",
            ["Press and hold an item to drag it to another time or day."]),
      ]),
      F("packing", ["packing lists with reusable templates", "packing lists"], [
          T(["How do I make a packing list?", "can i reuse my packing list", "Is there a packing checklist?"],
            "{pack} | tap New list, or tap From template | tick items as you pack",
            ["Tap Save as template to reuse a list on your next trip."]),
      ]),
      F("documents", ["storing booking confirmations", "keeping booking documents"], [
          T(["Where do I keep my hotel booking?", "can i save my train tickets", "How do I add a PDF booking?"],
            "{docs} | tap Add | choose the file or photo",
            ["Each document can be linked to a day in {plan}."]),
      ]),
      F("offline trips", ["offline access to your trips", "offline trips"], [
          T(["Will my trip work without internet?", "can i see my plans offline abroad"],
            "{home} | tap the trip | tap Make available offline",
            ["Documents and the itinerary are then saved on the device."]),
      ]),
      F("expenses", ["a trip expense list", "tracking trip spending"], [
          T(["Can I keep track of what I spend on a trip?", "how do i add an expense"],
            "{home} | tap the trip | tap Expenses and then Add",
            ["Expenses are kept in one currency per trip."]),
      ]),
      F("day notes", ["notes on each day", "day notes"], [
          T(["Can I add notes to a day?", "where do i write the restaurant tip my friend gave me"],
            "{plan} | tap the day | tap Notes"),
      ]),
      F("trip sharing", ["read-only sharing of a trip", "sharing a trip as a link"], [
          T(["Can my mum see my itinerary?", "how do i share my trip"],
            "{home} | tap the trip | tap Share and send the link",
            ["People with the link can view the trip but not change it."]),
      ]),
      DARK_MODE,
  ],
  cannots=[
      C("book flights or hotels", ["Can I book a hotel in {A}?", "can i buy plane tickets here"],
        alt="After you book elsewhere, add the confirmation in {docs}.", altkey="documents"),
      C("track flight delays", ["Will {A} tell me if my flight is late?", "does it track flights"]),
      C("convert currencies", ["Can {A} convert my expenses to euros?", "what's the exchange rate"]),
      C("check visa rules", ["Do I need a visa for Japan?", "can {A} check entry rules"],
        why=["the official government sites are the place to check"]),
      C("sell travel insurance", ["Can I buy travel insurance here?"]),
  ],
  limits=[
      L(["two upcoming trips", "three upcoming trips"], ["unlimited trips"],
        ["How many trips can I plan?", "it won't let me add another trip"]),
      L(["ten documents per trip", "five documents per trip"], ["unlimited documents"],
        ["How many documents can I save?", "why can't I add another ticket"]),
  ],
  extras=[
      X(["planning together with up to {n} travel companions"], "group planning",
        ["Can my friends edit the trip with me?", "can we plan the trip together"],
        "{home} | tap the trip | tap Invite to plan and send the link",
        ["Everyone invited can add and change items in {plan}."]),
      X(["offline maps of your destinations"], "offline maps",
        ["Can I download a map?", "are there maps i can use without data"],
        "{home} | tap the trip | tap Maps and then Download"),
  ],
  ambig=[("My trip is gone.", "Has the trip vanished from {home}, or is it there but empty?", [
      ("It's not on {home}.", "Trips move to Past trips once their dates are over. Scroll to the bottom of {home} and tap Past trips."),
      ("It's there but empty.", "Pull down on {plan} to refresh it. If it's still empty, check that you're signed in with your usual account in {M} > Account."),
  ])],
  bug=["{docs} shows a blank page for my PDF", "the app crashes when I open a shared trip", "packing ticks reset"],
  )


# ---------------------------------------------------------------------------
# Names and prompt pieces
# ---------------------------------------------------------------------------

BIRDS = ["Finch", "Wren", "Heron", "Robin", "Swift", "Plover", "Lark", "Osprey", "Starling", "Puffin", "Magpie",
         "Curlew", "Merlin", "Tern", "Sparrow", "Linnet", "Kingfisher", "Dunlin", "Avocet", "Siskin", "Redstart",
         "Oriole", "Warbler", "Nightjar", "Egret", "Godwit"]
TREES = ["Alder", "Rowan", "Birch", "Hazel", "Aspen", "Cedar", "Juniper", "Larch", "Willow", "Linden", "Maple",
         "Hawthorn", "Spruce", "Sycamore", "Hornbeam", "Elder"]
STONES = ["Quartz", "Onyx", "Garnet", "Jasper", "Agate", "Basalt", "Flint", "Slate", "Opal", "Beryl", "Jade",
          "Marble", "Granite", "Topaz"]
SYL1 = ["Zu", "Mo", "Ta", "Bri", "Lo", "Ve", "Ka", "No", "Pi", "Ru", "Sel", "Dor", "Fen", "Quil", "Ami", "Tor", "Vel",
        "Ori"]
SYL2 = ["vo", "ra", "lin", "mi", "bo", "ta", "ny", "zo", "rel", "ix", "dra", "nu", "ssa", "tik"]
NAME_TAILS = {  # optional second word, per app kind index
    0: ["Money", "Budget", "Wallet"], 1: ["Notes", "Pad"], 2: ["Habits", "Daily"], 3: ["Kitchen", "Recipes"],
    4: ["Photos", "Vault"], 5: ["Calendar", "Days"], 6: ["Lingo", "Words"], 7: ["Tasks", "Lists"],
    8: ["Books", "Shelf"], 9: ["Plants", "Garden"], 10: ["Trips", "Travel"],
}

PLATFORMS = [
    ("phones and the web", ["android", "iphone", "web"]),
    ("Android and iPhone", ["android", "iphone"]),
    ("iPhone and iPad", ["iphone", "tablet"]),
    ("Android phones and tablets", ["android", "tablet"]),
    ("phones, tablets and the web", ["android", "iphone", "tablet", "web"]),
    ("the web and desktop computers", ["web", "desktop"]),
    ("phones and desktop computers", ["android", "iphone", "desktop"]),
    ("Android, iPhone and the web", ["android", "iphone", "web"]),
]
PLATFORM_QS = {
    "android": (["Is there an Android version?", "does {A} work on android", "Can I use {A} on my Samsung phone?"],
                "an Android app"),
    "iphone": (["Is {A} on iPhone?", "do you have an iphone app", "Can I get {A} on my iPhone?"], "an iPhone app"),
    "web": (["Can I use {A} in a browser?", "is there a website version", "Can I open {A} on my work computer's browser?"],
            "a web version"),
    "desktop": (["Is there a desktop app?", "is there an app for my laptop", "Can I install {A} on Windows?"],
                "a desktop app"),
    "tablet": (["Does {A} work on a tablet?", "is there an ipad version", "Can I use it on my tablet?"],
               "a tablet app"),
}

TONES = [
    "Keep answers short, plain and accurate.", "Answer briefly and clearly, in a calm tone.",
    "Be polite, clear and to the point.", "Use plain words and keep replies short.",
    "Be helpful and concise, and do not guess.", "Write short, friendly answers in plain language.",
    "Reply in a neutral, helpful voice, in one to three sentences.", "Be warm but brief, and stick to the facts.",
]
ONLY_LEADS = [
    "Only describe what {A} actually does:", "Describe only these features of {A}:",
    "Talk only about features {A} really has:", "{A} offers the following, and nothing more:",
    "Stick to what {A} can really do:",
]
PLAINLY = ["say so plainly when asked", "say so clearly if asked", "tell users so directly",
           "be honest about this when asked", "make that clear when it comes up"]
CLARIFY = [
    "When a question is unclear, ask one short question to find out what the person means.",
    "If a request is ambiguous, ask a single clarifying question first.",
    "Ask one clarifying question when a message could be read two ways.",
    "If you can't tell which of two things someone means, ask them before you answer.",
]
SECRETS = ["Never ask anyone for a password, a full card number or {x}.", "Never ask for or accept passwords, card numbers or {x}.",
           "Do not ask for passwords, complete card numbers or {x}."]

# The fixed hand-off sentence: (trigger, prompt clauses, user messages, teams).
TRIGGERS = {
    "refund": (
        ["If someone disputes a charge or asks for a refund", "If a user asks for their money back or questions a charge",
         "When someone asks for a refund or says they were billed wrongly", "If anyone wants a refund"],
        ["I was billed twice this month.", "I'd like my money back for {P}.", "you charged me for a year but i wanted monthly",
         "Can I get a refund? I upgraded by accident.", "There's a payment to {A} on my card that I didn't make.",
         "I cancelled but still got charged.", "refund please, i never used {P}", "Why was I charged again? I want that reversed."],
        ["billing team", "payments team", "accounts team", "billing staff"]),
    "bug": (
        ["If someone reports a bug or a crash", "When a user describes something that looks like a bug",
         "If someone says the app is broken or crashing"],
        ["I think I found a bug: {bug}.", "{Bug}.", "Since the last update {bug}.", "bug report: {bug}",
         "Something is broken, {bug}."],
        ["developers", "engineering team", "app team", "product team"]),
    "delete": (
        ["If someone wants to delete their account", "When a user asks to close their account or erase their data",
         "If someone asks for their account to be deleted"],
        ["Please delete my account.", "How do I delete my {A} account?", "I want all my data removed.",
         "close my account pls", "Can you erase everything you have about me?"],
        ["privacy team", "account team", "data team", "support team"]),
}
H_OPEN = ["I've passed this to our {team}, who will", "I've sent this on to our {team}, who will",
          "I'm forwarding this to our {team}, who will", "I've shared this with our {team}, who will",
          "I'll hand this over to our {team}, who will", "I've logged this with our {team}, who will"]
H_ACT = ["reply by email", "get back to you by email", "contact you at your account's email address",
         "write to you by email", "answer you in the app's inbox"]
H_TIME = ["within one working day", "within two working days", "within three working days", "within 48 hours",
          "within a week", "within five working days", "within 24 hours"]
FORBIDDEN = ["Kestrel", "I'm passing this to our billing team, who will reply by email within two working days."]

NUM_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 8: "eight"}


# ---------------------------------------------------------------------------
# Building one app
# ---------------------------------------------------------------------------

def _app_name(g, kind_idx):
    r = g.r.random()
    if r < 0.4:
        name = g.pick(BIRDS)
    elif r < 0.6:
        name = g.pick(TREES)
    elif r < 0.75:
        name = g.pick(STONES)
    else:
        name = g.pick(SYL1) + g.pick(SYL2)
    if g.chance(0.15):
        name += " " + g.pick(NAME_TAILS[kind_idx])
    return name


def _make_app(g):
    kind_idx = _weighted(g, [(i, k["weight"]) for i, k in enumerate(KINDS)])
    k = KINDS[kind_idx]
    A = _app_name(g, kind_idx)
    ctx = _Ctx(A=A)
    screens = []
    for role, options in k["roles"]:
        ctx[role] = g.pick(options)
        screens.append(ctx[role])
    menu = g.pick([m for m in MENU_NAMES if m not in screens])
    ctx["M"] = menu
    screens.append(menu)
    plan_word = g.pick(["Plus", "Pro", "Premium"])
    ctx["P"] = A + " " + plan_word
    ctx["n"] = NUM_WORDS[g.pick([2, 3, 4, 5, 6, 8])]
    # Features: the kind's own, with the shared ones kept for the end.
    own = [f for f in k["features"] if f is not DARK_MODE and f is not APP_LOCK]
    shared = [f for f in k["features"] if f is DARK_MODE or f is APP_LOCK]
    # A kind's core features (those its screens and stock answers rely on) are always there.
    n_own = g.randint(min(5, len(own)), min(8, len(own)))
    core = k["core"]
    n_own = max(n_own, len(core))
    rest = [i for i in range(len(own)) if i not in core]
    picked = sorted(core + g.sample(rest, n_own - len(core)))
    features = [own[i] for i in picked] + [f for f in shared if g.chance(0.6)]
    missing = [f for i, f in enumerate(own) if i not in picked]
    cannots = g.sample(k["cannots"], 3)
    limits = g.sample(k["limits"], g.randint(1, 2) if len(k["limits"]) > 1 else 1)
    limits = [(lm, g.pick(lm["free"]), g.pick(lm["paid"])) for lm in limits]
    extras = g.sample(k["extras"], g.randint(1, len(k["extras"])))
    extras = [(x, _fill(g.pick(x["desc"]), ctx)) for x in extras]
    platform = g.pick([pl for pl in PLATFORMS if not k.get("phones_only")
                       or "android" in pl[1] or "iphone" in pl[1]])
    trigger = _weighted(g, [("refund", 60), ("bug", 20), ("delete", 20)])
    clauses, user_msgs, teams = TRIGGERS[trigger]
    team = g.pick(teams)
    act, when = g.pick(H_ACT), g.pick(H_TIME)
    if g.chance(0.8):
        fixed = _fill(g.pick(H_OPEN), _Ctx(team=team)) + " " + act + " " + when + "."
    else:
        fixed = "Our %s will look into this and %s %s." % (team, act, when)
    assert fixed not in FORBIDDEN
    app = {
        "kind": k, "kind_idx": kind_idx, "ctx": ctx, "A": A, "screens": screens, "features": features,
        "cannots": cannots, "limits": limits, "missing": missing, "extras": extras, "platform": platform, "trigger": trigger,
        "trigger_msgs": user_msgs, "fixed": fixed, "when": when, "act": act,
        "clarify": g.chance(0.7), "secret": g.pick(k["extra_secret"]), "notif": g.pick(k["notifs"]),
        "kind_phrase": g.pick(k["kinds"]),
    }
    app["system"] = _system_prompt(g, app, g.pick(clauses))
    return app


def _free_sentence(app):
    return _join([fr for _, fr, _ in app["limits"]])


def _paid_list(app):
    return [pd for _, _, pd in app["limits"]] + [d for _, d in app["extras"]]


def _system_prompt(g, app, clause):
    ctx, A = app["ctx"], app["A"]
    s = []
    s.append("You are the support assistant for %s, %s app for %s." % (A, _an(app["kind_phrase"]), app["platform"][0]))
    s.append(g.pick(TONES))
    s.append("%s screens are %s." % (A + ("'" if A.endswith("s") else "'s"), _join(app["screens"])))
    descs = [_fill(g.pick(f["desc"]), ctx) for f in app["features"]]
    s.append(_fill(g.pick(ONLY_LEADS), ctx) + " " + "; ".join(descs) + ".")
    free, paid = _free_sentence(app), _join(_paid_list(app))
    s.append(g.pick([
        "The free plan includes %s; %s adds %s." % (free, ctx["P"], paid),
        "On the free plan you get %s; %s adds %s." % (free, ctx["P"], paid),
        "The free plan covers %s, and %s adds %s." % (free, ctx["P"], paid),
    ]))
    s.append("%s cannot %s; %s." % (A, _join([c["vp"] for c in app["cannots"]], "or"), g.pick(PLAINLY)))
    if app["clarify"]:
        s.append(g.pick(CLARIFY))
    s.append(g.pick(SECRETS).replace("{x}", app["secret"]))
    s.append("%s, say exactly: \"%s\"" % (clause, app["fixed"]))
    return " ".join(s)


# ---------------------------------------------------------------------------
# Answer pieces
# ---------------------------------------------------------------------------

def _how_sentence(g, app, how):
    """Turn "loc | step | step" into one instruction sentence."""
    ctx = app["ctx"]
    parts = [_fill(p, ctx) for p in how.split(" | ")]
    loc, steps = parts[0], parts[1:]
    if " > " in loc and g.chance(0.35):
        segs = loc.split(" > ")
        loc = segs[0]
        steps = ["tap " + sg for sg in segs[1:]] + steps
    if " > " in loc:
        opener = g.pick(["Go to " + loc, "Open " + loc, "In " + loc])
    else:
        opener = g.pick(["Open " + loc, "Go to " + loc, "On the " + loc + " screen", "In " + loc])
    if opener.startswith(("In ", "On the ")):
        # "In X, tap ..." reads better than "In X and tap ...".
        first_join = ", "
    elif " and " in steps[0]:
        first_join = ", then "
    else:
        first_join = " and "
    if len(steps) == 1:
        return opener + first_join + steps[0] + "."
    last = ", then " if " and " in steps[-1] else g.pick([", then ", " and then ", ", and "])
    return opener + ", " + ", ".join(steps[:-1]) + last + steps[-1] + "."


YESNO_START = ("Can ", "Is ", "Does ", "Do ", "Will ", "Are ", "can ", "is ", "does ", "do ", "will ", "are ")


def _task_answer(g, app, task, q):
    ctx = app["ctx"]
    out = []
    if task["lead"]:
        out.append(_fill(task["lead"], ctx))
    elif q.startswith(YESNO_START) and not q.lower().startswith(("do i ", "can i get a reminder a day")):
        out.append(g.pick(["Yes.", "Yes, you can.", "Yes, %s does that." % app["A"], "Yes, that's possible."]))
    elif g.chance(0.2) and not q.endswith("."):
        out.append(g.pick(["Sure.", "Here's how.", "Of course."]))
    elif q.endswith(".") and g.chance(0.5):
        out.append(g.pick(["No problem.", "That's easy to sort out.", "Let's fix that."]))
    out.append(_how_sentence(g, app, task["how"]))
    ql = q.lower()
    explain = ql.startswith(("what", "how does", "how do ", "where do", "where are")) and not ql.startswith("how do i")
    if task["notes"] and (explain or g.chance(0.6) or len(out) == 1 and g.chance(0.5)):
        out.append(_fill(g.pick(task["notes"]), ctx))
    return " ".join(out)


def _ack(g):
    return g.pick(["Sorry for the trouble.", "Thanks for telling me.", "I'm sorry to hear that.",
                   "Thank you for reporting it.", "Sorry about the hassle.", "Thanks for flagging this."])


# ---------------------------------------------------------------------------
# Question types.  Each returns a list of (user, assistant) pairs, or None
# when it doesn't fit this app; `used` stops repeats within one chat.
# ---------------------------------------------------------------------------

def q_feature(g, app, used):
    f = g.pick(app["features"])
    task = g.pick(f["tasks"])
    key = "task:" + task["how"]
    if key in used:
        return None
    used.append(key)
    q = _fill(g.pick(task["qs"]), app["ctx"])
    return [(q, _task_answer(g, app, task, q))]


def q_generic(g, app, used):
    task = g.pick(GENERIC_TASKS)
    key = "task:" + task["how"]
    if key in used:
        return None
    used.append(key)
    q = _fill(g.pick(task["qs"]), app["ctx"])
    return [(q, _task_answer(g, app, task, q))]


def q_cannot(g, app, used):
    c = g.pick(app["cannots"])
    if "no:" + c["vp"] in used:
        return None
    used.append("no:" + c["vp"])
    ctx, A = app["ctx"], app["A"]
    q = _fill(g.pick(c["qs"]), ctx)
    first = g.pick(["No, %s can't %s" % (A, c["vp"]), "No. %s cannot %s" % (A, c["vp"]),
                    "That isn't something %s can do: it cannot %s" % (A, c["vp"]),
                    "Sorry, %s isn't able to %s" % (A, c["vp"])])
    if c["why"] and g.chance(0.7):
        first += "; " + g.pick(c["why"])
    out = [first + "."]
    names = [f["short"] for f in app["features"]]
    if c["alt"] and (c["altkey"] is None or c["altkey"] in names) and g.chance(0.75):
        out.append(_fill(c["alt"], ctx))
    pairs = [(q, " ".join(out))]
    if g.chance(0.2):
        fu = g.pick(["Will it ever?", "Are you planning to add that?", "any plans for that?", "Maybe in a future update?"])
        pairs.append((fu, g.pick([
            "I can't say whether that will change; right now %s cannot %s." % (A, c["vp"]),
            "I don't have any information about future plans, so I can't promise it. For now, %s can't %s." % (A, c["vp"]),
        ])))
    return pairs


def q_limit(g, app, used):
    lm, free, paid = g.pick(app["limits"])
    if "lim:" + free in used:
        return None
    used.append("lim:" + free)
    ctx = app["ctx"]
    q = _fill(g.pick(lm["qs"]), ctx)
    a = g.pick([
        "The free plan includes %s, and %s gives you %s." % (free, ctx["P"], paid),
        "On the free plan you get %s. With %s you get %s." % (free, ctx["P"], paid),
        "That depends on your plan: the free plan has %s, while %s has %s." % (free, ctx["P"], paid),
    ])
    if g.chance(0.4):
        a += " " + g.pick(["You can upgrade in %s > Subscription." % ctx["M"],
                           "Upgrading is done from %s > Subscription." % ctx["M"]])
    return [(q, a)]


def q_extra(g, app, used):
    x, desc = g.pick(app["extras"])
    if "x:" + x["short"] in used:
        return None
    used.append("x:" + x["short"])
    ctx = app["ctx"]
    if g.chance(0.3):
        if g.chance(0.4):
            q = "Do I have to pay for %s?" % x["short"]
            a = g.pick(["Yes, that's part of %s." % ctx["P"], "Yes, you need %s for %s." % (ctx["P"], x["short"])])
        else:
            q = g.pick(["Can I get %s on the free plan?" % x["short"], "is %s free" % x["short"]])
            a = g.pick(["No, that's part of %s." % ctx["P"], "No, you need %s for %s." % (ctx["P"], x["short"])])
        a += " " + g.pick(["The free plan includes %s." % _free_sentence(app),
                           "You can upgrade in %s > Subscription." % ctx["M"]])
        return [(q, a)]
    q = _fill(g.pick(x["qs"]), ctx)
    a = g.pick(["Yes, with %s." % ctx["P"], "Yes, that's part of %s." % ctx["P"],
                "You can with %s, which adds %s." % (ctx["P"], desc)])
    a += " " + _how_sentence(g, app, x["how"])
    if x["notes"] and g.chance(0.5):
        a += " " + _fill(g.pick(x["notes"]), ctx)
    return [(q, a)]


def q_free_feature(g, app, used):
    f = g.pick(app["features"])
    if "free:" + f["short"] in used:
        return None
    used.append("free:" + f["short"])
    ctx = app["ctx"]
    q = g.pick(["Do I need %s for %s?" % (ctx["P"], f["short"]), "Do I have to pay to use %s?" % f["short"],
                "do i need the paid plan for %s" % f["short"]])
    a = g.pick(["No, you get %s on the free plan as well." % f["short"],
                "No, you don't need %s for that; it's included for everyone." % ctx["P"]])
    if g.chance(0.5):
        a += " %s adds %s." % (ctx["P"], _join(_paid_list(app)))
    return [(q, a)]


def q_compare(g, app, used):
    if "compare" in used:
        return None
    used.append("compare")
    ctx = app["ctx"]
    q = g.pick(["What's the difference between free and %s?" % ctx["P"], "What do I get with %s?" % ctx["P"],
                "is %s worth it, what does it add" % ctx["P"], "What does the free plan include?"])
    a = g.pick(["The free plan includes %s. %s adds %s." % (_free_sentence(app), ctx["P"], _join(_paid_list(app))),
                "%s adds %s; the free plan includes %s." % (ctx["P"], _join(_paid_list(app)), _free_sentence(app))])
    if g.chance(0.5) and len(app["features"]) >= 2:
        two = g.sample(app["features"], 2)
        a += " Everything else, such as %s and %s, is on both plans." % (two[0]["short"], two[1]["short"])
    return [(q, a)]


def q_price(g, app, used):
    if "price" in used:
        return None
    used.append("price")
    ctx = app["ctx"]
    q = g.pick(["How much is %s?" % ctx["P"], "what does the paid plan cost", "Is there a student discount?",
                "Do you have a discount for a yearly plan?"])
    if "discount" in q:
        a = g.pick(["I can't confirm any discounts from here, so I don't want to promise one.",
                    "I don't have information about discounts, so I can't promise one."])
    else:
        a = g.pick(["I don't have prices here, so I can't quote one.", "I can't confirm prices from here."])
    a += " " + g.pick(["The current price for your country is shown in %s > Subscription." % ctx["M"],
                       "%s > Subscription shows what %s costs for you." % (ctx["M"], ctx["P"])])
    return [(q, a)]


def q_platform(g, app, used):
    key = g.pick(["android", "iphone", "web", "desktop", "tablet"])
    if "plat:" + key in used:
        return None
    used.append("plat:" + key)
    A = app["A"]
    qs, thing = PLATFORM_QS[key]
    q = _fill(g.pick(qs), app["ctx"])
    phrase, have = app["platform"]
    if key in have:
        a = g.pick(["Yes. %s is available for %s, and your data is the same wherever you sign in." % (A, phrase),
                    "Yes, %s works there; it's available for %s." % (A, phrase)])
    else:
        a = "No, there isn't %s. %s is available for %s." % (thing, A, phrase)
        if key == "desktop" and "web" in have:
            a += " On a computer you can use it in any web browser instead."
        elif key == "tablet" and "web" in have:
            a += " On a tablet you can open the web version in the browser."
    return [(q, a)]


def q_trigger(g, app, used):
    if "trigger" in used:
        return None
    used.append("trigger")
    ctx = _Ctx(app["ctx"])
    bug = _fill(g.pick(app["kind"]["bug"]), app["ctx"])
    ctx["bug"], ctx["Bug"] = bug, _cap(bug)
    q = _fill(g.pick(app["trigger_msgs"]), ctx)
    a = app["fixed"]
    if g.chance(0.7):
        a = _ack(g) + " " + a
    pairs = [(q, a)]
    if g.chance(0.3):
        fu = g.pick(["How long will that take?", "when will i hear back", "OK, how will they contact me?"])
        pairs.append((fu, g.pick(["They will %s %s." % (app["act"], app["when"]),
                                  "You should hear from them %s." % app["when"]])))
    return pairs


def q_secret(g, app, used):
    if "secret" in used:
        return None
    used.append("secret")
    ctx, A = app["ctx"], app["A"]
    kind = g.pick(["password", "card", "code"])
    if kind == "password":
        q = g.pick(["Do you need my password to look at my account?", "I can send you my password if that helps.",
                    "my password is %s%d, can you check what's wrong" % (g.pick(["sunny", "tiger", "blue", "maple"]),
                                                                         g.randint(10, 99)),
                    "Should I give you my login so you can fix it?"])
        a = "Please don't share your password with me; I never need it, and nobody from %s will ask for it." % A
        if "my password is" in q:
            a += " " + g.pick(["Since you've typed it here, it's safest to change it now in %s > Account > Password." % ctx["M"],
                               "To be safe, change it in %s > Account > Password." % ctx["M"]])
        else:
            a += " " + g.pick(["Tell me what's going wrong and I'll help from there.",
                               "Just describe the problem and we'll work through it."])
    elif kind == "card":
        q = g.pick(["Do you want my card number to check the payment?", "Here's my card, the number starts with 4 and then...",
                    "Should I send you my full card details?"])
        a = g.pick(["No, please don't send your card number here; I never need it.",
                    "Please keep your card number to yourself; I don't need it and won't ask for it."])
        a += " " + g.pick(["The date and amount of the payment are enough to describe it.",
                           "If it's about a payment, the date and the amount are all I need."])
    else:
        q = g.pick(["I got a six-digit code by text, do you need it?", "should i tell you the code from the email?",
                    "Do you need the sign-in code I just got?"])
        a = g.pick(["No, please keep that code private; it's only for signing in, and I never need it.",
                    "Please don't share that code with anyone, including me; it's only for signing in."])
    return [(q, a)]


def q_unknown(g, app, used):
    if "unknown" in used:
        return None
    used.append("unknown")
    ctx, A = app["ctx"], app["A"]
    lang = g.pick(["Spanish", "German", "Polish", "Japanese", "Portuguese", "Welsh", "Turkish", "Dutch"])
    which = g.randint(0, 2)
    if which == 0:
        q = g.pick(["Is %s available in %s?" % (A, lang), "can i use the app in %s" % lang])
        a = ("I can't confirm which languages %s supports from here. %s > Language lists every language it offers."
             % (A, ctx["M"]))
    elif which == 1:
        q = g.pick(["Does %s work with my smartwatch?" % A, "is there a watch app"])
        a = ("A watch app isn't part of what I can describe, so I can't promise one. %s is available for %s."
             % (A, app["platform"][0]))
    else:
        q = g.pick(["Who owns %s?" % A, "where is the company based", "Is %s open source?" % A])
        a = g.pick(["I don't have that information, so I'd rather not guess.",
                    "I'm not able to answer that from what I know."])
        a += " I can help with using %s itself, though." % A
    return [(q, a)]


def q_overview(g, app, used):
    if "overview" in used:
        return None
    used.append("overview")
    A = app["A"]
    q = g.pick(["What can %s do?" % A, "what is this app for", "What does %s do exactly?" % A, "Tell me what %s is." % A])
    shorts = [f["short"] for f in app["features"]]
    three = [shorts[i] for i in sorted(g.sample(range(len(shorts)), min(3, len(shorts))))]
    a = "%s is %s app for %s." % (A, _an(app["kind_phrase"]), app["platform"][0])
    a += " " + g.pick(["It covers %s, among other things." % _join(three),
                       "Its main features include %s." % _join(three)])
    if g.chance(0.4):
        a += " It can't %s, though." % app["cannots"][0]["vp"]
    return [(q, a)]


def q_wrong_screen(g, app, used):
    if "wrong" in used:
        return None
    used.append("wrong")
    fake = g.pick([s for s in ["Settings", "Menu", "Profile", "Dashboard", "Options"] if s not in app["screens"]])
    A, M = app["A"], app["ctx"]["M"]
    q = g.pick(["Where is the %s screen?" % fake, "I can't find %s anywhere." % fake, "how do i get to %s" % fake.lower()])
    a = "%s doesn't have %s screen; its screens are %s." % (A, _an(fake), _join(app["screens"]))
    a += " " + g.pick(["Options such as notifications and your account are under %s." % M,
                       "Most settings, like your account and notifications, are in %s." % M])
    return [(q, a)]


def q_missing(g, app, used):
    """A question about something this kind of app often has, but this one doesn't list."""
    if not app["missing"] or "missing" in used:
        return None
    used.append("missing")
    f = g.pick(app["missing"])
    A = app["A"]
    q = _fill(g.pick(g.pick(f["tasks"])["qs"]), app["ctx"])
    a = g.pick(["%s doesn't include %s, so I can't walk you through that." % (A, f["short"]),
                "As far as I know, %s doesn't offer %s." % (A, f["short"]),
                "I'm afraid %s isn't part of %s." % (f["short"], A)])
    if g.chance(0.6):
        three = [x["short"] for x in g.sample(app["features"], min(3, len(app["features"])))]
        a += " " + g.pick(["What it does have is %s." % _join(three),
                           "Its features are things like %s." % _join(three)])
    return [(q, a)]


def q_delete_normal(g, app, used):
    if app["trigger"] == "delete" or "delete" in used:
        return None
    used.append("delete")
    q = g.pick(["How can I delete my account?", "i want to remove my account", "How can I erase all my data?"])
    a = _how_sentence(g, app, "{M} > Account | tap Delete account | confirm")
    a += " " + g.pick(["This removes your %s data for good, so save anything you want to keep first." % app["A"],
                       "Deleting can't be undone."])
    return [(q, a)]


# --- Two-turn exchanges that start with one clarifying question ----------------

def q_cancel(g, app, used):
    if not app["clarify"] or "cancel" in used or "delete" in used:
        return None
    used.append("cancel")
    used.append("delete")
    ctx, A = app["ctx"], app["A"]
    q = g.pick(["How can I cancel?", "i want to cancel", "I'd like to cancel.", "cancel please"])
    clar = g.pick(["Do you want to cancel your %s subscription, or delete your %s account completely?" % (ctx["P"], A),
                   "Just to check: do you mean stopping %s, or closing your whole %s account?" % (ctx["P"], A)])
    pairs = [(q, clar)]
    if g.chance(0.55):
        r = g.pick(["The subscription.", "only the subscription pls", "Only %s." % ctx["P"], "stop paying"])
        a = _how_sentence(g, app, "{M} > Subscription | tap Cancel %s" % ctx["P"])
        a += " " + g.pick(["You keep %s until the end of the period you've paid for, and then the account "
                           "switches to the free plan with your data kept." % ctx["P"],
                           "Paid features stay on until the current period ends; nothing is deleted."])
    else:
        r = g.pick(["The whole account.", "delete everything", "Close the account."])
        if app["trigger"] == "delete":
            a = app["fixed"]
        else:
            a = _how_sentence(g, app, "{M} > Account | tap Delete account | confirm")
            if g.chance(0.6):
                a += " If you pay for %s, cancel it first in %s > Subscription." % (ctx["P"], ctx["M"])
    pairs.append((r, a))
    return pairs


def q_notif(g, app, used):
    if not app["clarify"] or "notif" in used:
        return None
    used.append("notif")
    ctx, notif = app["ctx"], app["notif"]
    q = g.pick(["How do I stop the notifications?", "too many notifications", "Can I turn off the alerts?"])
    clar = g.pick(["Do you want to turn off all %s notifications, or only the %s?" % (app["A"], notif),
                   "Would you like to stop every notification, or just the %s?" % notif])
    if g.chance(0.5):
        r = g.pick(["All of them.", "all", "Everything."])
        a = _how_sentence(g, app, "{M} > Notifications | turn off Allow notifications")
    else:
        r = g.pick(["Just the %s." % notif, "only the %s" % notif])
        a = _how_sentence(g, app, "{M} > Notifications | switch off %s" % _cap(notif))
        if g.chance(0.5):
            a += " Other notifications keep working."
    return [(q, clar), (r, a)]


def q_ambig(g, app, used):
    if not app["clarify"] or not app["kind"]["ambig"] or "ambig" in used:
        return None
    used.append("ambig")
    ctx = app["ctx"]
    q, clar, options = g.pick(app["kind"]["ambig"])
    reply, ans = g.pick(options)
    first = _fill(clar, ctx)
    if g.chance(0.5):
        first = g.pick(["Let's work it out.", "Let's sort it out.", "I can help with that."]) + " " + first
    return [(_fill(q, ctx), first), (_fill(reply, ctx), _fill(ans, ctx))]


QUESTION_TYPES = [
    (q_feature, 36), (q_generic, 5), (q_cannot, 14), (q_limit, 6), (q_extra, 5), (q_free_feature, 3),
    (q_compare, 3), (q_price, 2), (q_platform, 4), (q_trigger, 8), (q_secret, 3), (q_unknown, 2),
    (q_overview, 2), (q_wrong_screen, 2), (q_missing, 3), (q_delete_normal, 1), (q_cancel, 3), (q_notif, 2), (q_ambig, 4),
]


# ---------------------------------------------------------------------------
# How users write
# ---------------------------------------------------------------------------

def _swap_typo(g, text):
    words = text.split(" ")
    idx = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha() and w.islower()]
    if not idx:
        return text
    i = g.pick(idx)
    w = words[i]
    j = g.randint(1, len(w) - 3)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    return " ".join(words)


def _casual(g, q):
    if g.chance(0.12):
        q = q.replace("don't", "dont").replace("can't", "cant").replace("won't", "wont").replace("I'm", "im")
    if g.chance(0.15):
        q = _low(q)
        if q.endswith("?") and g.chance(0.5):
            q = q[:-1]
    if g.chance(0.1):
        q = _swap_typo(g, q)
    if g.chance(0.12):
        lead = g.pick(["Hi, ", "Hello, ", "hey ", "Quick question: ", "Hi there. ", "um, "])
        q = lead + (_low(q) if lead.endswith(", ") or lead.endswith(": ") or lead == "hey " else q)
    elif g.chance(0.05) and q.endswith(("?", ".")):
        q += g.pick([" Thanks.", " thx", " Thank you!"])
    return q


# ---------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------

def support_chat(g):
    app = _make_app(g)
    n_pairs = _weighted(g, [(1, 35), (2, 30), (3, 20), (4, 15)])
    used = []
    turns = [("system", app["system"])]
    pairs_done = 0
    tries = 0
    while pairs_done < n_pairs and tries < 40:
        tries += 1
        fn = _weighted(g, QUESTION_TYPES)
        got = fn(g, app, used)
        if not got or pairs_done + len(got) > max(n_pairs, 2):
            continue
        for q, a in got:
            turns.append(("user", _casual(g, q)))
            turns.append(("assistant", a))
        pairs_done += len(got)
    return turns


# ---------------------------------------------------------------------------
# Self-test
# ---------------------------------------------------------------------------

if __name__ == "__main__":
    import json
    import os
    import random
    import re

    from corpus_gen import Gen as _Gen

    def _sentences(text):
        return [s for s in re.split(r'(?<=[.!?])\s+(?=[A-Za-z"])', text.strip()) if s]

    def _norm(s):
        return re.sub(r"[^a-z0-9 ]", "", s.lower()).strip()

    g = _Gen(1)
    for _ in range(4):
        for role, content in support_chat(g):
            print("%-9s %s" % (role + ":", content))
        print()

    g1, g2 = _Gen(7), _Gen(7)
    run1 = json.dumps([support_chat(g1) for _ in range(2000)])
    run2 = json.dumps([support_chat(g2) for _ in range(2000)])
    assert run1 == run2, "same seed gave different output"
    print("same seed, same output: ok")

    sample_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples", "support-chatbot.jsonl")
    sample_sents = []
    if os.path.exists(sample_path):
        with open(sample_path) as fh:
            for line in fh:
                for m in json.loads(line)["messages"]:
                    sample_sents.extend(_sentences(m["content"]))
    sample_set = {_norm(s) for s in sample_sents if len(s) > 12}

    g = _Gen(123)
    distinct, answer_distinct, prompt_lens, copied = {}, {}, [], {}
    for i in range(20000):
        chat = support_chat(g)
        assert chat[0][0] == "system" and 3 <= len(chat) <= 9 and len(chat) % 2 == 1, chat
        for j, (role, content) in enumerate(chat):
            assert role == ("system" if j == 0 else ("user" if j % 2 else "assistant")), chat
            for bad in FORBIDDEN:
                assert bad not in content, (bad, content)
            assert "{" not in content and "}" not in content, content
            if i < 10000:
                for s in _sentences(content):
                    distinct[s] = 1
                    if role == "assistant":
                        answer_distinct[s] = 1
            for s in _sentences(content):
                if _norm(s) in sample_set:
                    copied[s] = copied.get(s, 0) + 1
        if i < 10000:
            prompt_lens.append(len(chat[0][1]))
    assert not copied, copied
    prompt_lens.sort()
    words = sorted(len(support_chat(_Gen(s))[0][1].split()) for s in range(500))
    print("forbidden strings and copied sample sentences in 20,000 chats: none")
    print("distinct sentences in 10,000 chats: %d (assistant only: %d)" % (len(distinct), len(answer_distinct)))
    print("system prompt: median %d characters, %d-%d words" % (prompt_lens[len(prompt_lens) // 2], words[0], words[-1]))
