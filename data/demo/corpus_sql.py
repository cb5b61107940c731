# SPDX-License-Identifier: GPL-3.0-or-later
#
# corpus_sql.py: text-to-SQL chats for the demo model's corpus.  A system
# prompt describes a small multi-table SQLite database (3-5 tables from one of
# the domains below), then the user asks questions about it in everyday
# English and the assistant answers with a lead sentence, the query, and one
# sentence that explains it.  All schemas, word lists and templates were
# written for Whetstone.  Standard library only; every random choice goes
# through the caller's Gen, so the same seed gives the same text.
#
#   python3 data/demo/corpus_sql.py      runs the self-checks (sqlite3 EXPLAIN)

from corpus_gen import pick_weighted

SYSTEM_HEAD = "You translate questions into SQLite SQL for this database:\n"
SYSTEM_ENDINGS = ["", "", "", "Explain your query briefly.", "Use SQLite syntax.",
                  "Give the query, then say in one sentence what it does.",
                  "Write the SQL and a short explanation.", "Keep the explanation short.",
                  "Dates are stored as text.", "Show the query first, then explain it in a sentence."]

LEADS = ["Here is a query for that:", "You can use:", "This should work:", "Try this query:",
         "Here's one way to write it:", "This query does it:", "You can get that with:", "Use this:",
         "Here you go:", "Something like this works:", "The query is:", "Run this:",
         "This gives you what you need:", "Here is the SQL:"]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
KWORDS = {3: "three", 5: "five", 10: "ten"}


# ---------------------------------------------------------------------------
# Column and table descriptions
# ---------------------------------------------------------------------------
# Each column is (name, SQL type with optional "-- comment", kind, info).
# kind: "K" key, "L" the column that names a row, "C" a category or text
# value, "N" a number, "D" a date, "B" a 0/1 flag, "F" a foreign key, "X"
# present but not asked about.  info holds the English words for it.

def K():
    return ("id", "INTEGER PRIMARY KEY", "K", {})


def L(col, typ, w, words=None):
    return (col, typ, "L", {"w": w, "words": words})


def C(col, typ, w, vals=None, ph=None, ws=None, **kw):
    if vals is None:   # read them from CHECK (col IN ('a', 'b'))
        inside = typ.split("IN (", 1)[1].split(")", 1)[0]
        vals = [v.strip().strip("'") for v in inside.split(",")]
    return (col, typ, "C", dict(w=w, vals=vals, ph=ph or ["{p} whose %s is {v}" % w, "{p} with %s {v}" % w],
                                ws=ws or plural(w), **kw))


def N(col, typ, w, ns, gt=None, lt=None, agg=True, **kw):
    return (col, typ, "N", dict(w=w, ns=ns, agg=agg, gt=gt or ["{p} with a %s over {n}" % w, "{p} whose %s is more than {n}" % w],
                                lt=lt or ["{p} with a %s under {n}" % w, "{p} whose %s is less than {n}" % w], **kw))


def D(col, typ, np, main=False, **kw):
    return (col, typ, "D", dict(np=np, main=main, time="HH:MM" in typ, **kw))


def B(col, typ, yes, no, **kw):
    return (col, typ, "B", dict(yes=yes, no=no, **kw))


def F(col, typ, to, role, prep, roles=None, none=None, **kw):
    return (col, typ, "F", dict(to=to, role=role, roles=roles or plural(role), prep=prep, none=none, **kw))


def X(col, typ):
    return (col, typ, "X", {})


def T(name, s, p, cols, extra=None, custom=None):
    """extra: more filters (noun phrase, condition with {a}, explanation).
    custom: hand-written questions ([questions], sql, explanation)."""
    return dict(name=name, s=s, p=p, cols=cols, extra=extra or [], custom=custom or [])


def plural(w):
    if w.endswith("y") and w[-2:-1] not in "aeiou":
        return w[:-1] + "ies"
    if w.endswith(("s", "sh", "ch", "x")):
        return w + "es"
    return w + "s"


DATE = "TEXT NOT NULL  -- 'YYYY-MM-DD'"
STAMP = "TEXT NOT NULL  -- 'YYYY-MM-DD HH:MM:SS'"
TOWNS = ["Brookside", "Foxley", "Oakridge", "Millbank", "Harbour Hill", "Eastwick"]
COUNTRIES = ["Norway", "Chile", "Kenya", "Japan", "Canada", "Portugal", "India"]

DOMAINS = [
    ("library", [
        T("authors", "author", "authors", [
            K(), L("name", "TEXT NOT NULL", "name"),
            C("country", "TEXT", "country", COUNTRIES, ["{p} from {v}", "{p} who come from {v}"]),
            N("born_year", "INTEGER", "birth year", [1940, 1960, 1980], ["{p} born after {n}"], ["{p} born before {n}"], agg=False)]),
        T("books", "book", "books", [
            K(), L("title", "TEXT NOT NULL", "title", ["night", "garden", "river", "secret"]),
            F("author_id", "INTEGER NOT NULL REFERENCES authors(id)", "authors", "author", "by"),
            C("genre", "TEXT NOT NULL CHECK (genre IN ('fantasy', 'mystery', 'history', 'science', 'poetry'))", "genre",
              ph=["{v} {p}", "{p} in the {v} section", "{p} in the {v} genre"]),
            N("pages", "INTEGER", "page count", [100, 200, 300, 500], ["{p} with more than {n} pages", "{p} longer than {n} pages"],
              ["{p} with fewer than {n} pages", "{p} shorter than {n} pages"]),
            N("published_year", "INTEGER", "publication year", [1990, 2000, 2010, 2020], ["{p} published after {n}"],
              ["{p} published before {n}"], agg=False),
            N("copies", "INTEGER NOT NULL DEFAULT 1", "number of copies", [1, 2, 3], ["{p} with more than {n} copies"],
              ["{p} with fewer than {n} copies"])]),
        T("readers", "reader", "readers", [
            K(), L("name", "TEXT NOT NULL", "name"), X("email", "TEXT UNIQUE"),
            C("town", "TEXT NOT NULL", "town", TOWNS, ["{p} from {v}", "{p} who live in {v}"]),
            D("joined_on", DATE, "readers who joined", main=True)]),
        T("loans", "loan", "loans", [
            K(), F("book_id", "INTEGER NOT NULL REFERENCES books(id)", "books", "book", "of",
                   none=["Which books have never been borrowed?", "List the books nobody has borrowed."]),
            F("reader_id", "INTEGER NOT NULL REFERENCES readers(id)", "readers", "reader", "by",
              none=["Which readers have never borrowed a book?", "Find the readers with no loans."]),
            D("loaned_on", DATE, "loans made", main=True),
            D("due_on", DATE, "loans due"),
            D("returned_on", "TEXT  -- NULL until returned", "loans returned",
              null=["loans that have not been returned yet", "loans still out", "open loans", "unreturned loans"],
              nn=["returned loans", "loans that have been returned", "loans already brought back"]),
            N("fine", "REAL NOT NULL DEFAULT 0", "fine", [1, 2, 5], ["loans with a fine over {n}"], ["loans with a fine under {n}"])],
          extra=[("overdue loans", "{a}returned_on IS NULL AND {a}due_on < date('now')",
                  "a loan is overdue when returned_on is still NULL and due_on is before today"),
                 ("loans that came back late", "{a}returned_on > {a}due_on",
                  "comparing the two date strings works because they are written as 'YYYY-MM-DD'")],
          custom=[(["On average, how many days are books kept before they come back?", "What is the average loan length in days?"],
                   "SELECT ROUND(AVG(julianday(returned_on) - julianday(loaned_on)), 1) AS avg_days FROM loans WHERE returned_on IS NOT NULL;",
                   "julianday turns each date into a day number, so the difference is the length of the loan in days.")]),
    ]),
    ("school", [
        T("teachers", "teacher", "teachers", [
            K(), L("name", "TEXT NOT NULL", "name"),
            C("subject", "TEXT NOT NULL CHECK (subject IN ('maths', 'english', 'science', 'art', 'music'))", "subject",
              ph=["{v} {p}", "{p} who teach {v}"]),
            D("hired_on", DATE, "teachers hired", main=True),
            N("salary", "REAL NOT NULL", "salary", [30000, 40000, 50000], ["{p} earning more than {n}"], ["{p} earning less than {n}"])]),
        T("courses", "course", "courses", [
            K(), L("title", "TEXT NOT NULL", "title", ["intro", "history", "lab"]),
            F("teacher_id", "INTEGER NOT NULL REFERENCES teachers(id)", "teachers", "teacher", "taught by"),
            C("level", "TEXT NOT NULL CHECK (level IN ('beginner', 'intermediate', 'advanced'))", "level",
              ph=["{v} {p}", "{p} at {v} level"]),
            N("max_pupils", "INTEGER NOT NULL DEFAULT 25", "size limit", [10, 20, 30], ["{p} that take more than {n} pupils"],
              ["{p} limited to fewer than {n} pupils"]),
            C("room", "TEXT", "room", ["A1", "B2", "C3", "Lab 1"], ["{p} held in room {v}", "{p} in room {v}"])]),
        T("pupils", "pupil", "pupils", [
            K(), L("name", "TEXT NOT NULL", "name"),
            C("year_group", "INTEGER NOT NULL CHECK (year_group BETWEEN 7 AND 13)", "year group", [7, 8, 9, 10, 11, 12, 13],
              ["{p} in year {v}", "year {v} {p}"]),
            C("house", "TEXT NOT NULL CHECK (house IN ('red', 'blue', 'green', 'yellow'))", "house",
              ph=["{p} in the {v} house", "{p} in {v} house"]),
            D("born_on", DATE, "pupils born")]),
        T("enrolments", "enrolment", "enrolments", [
            K(), F("pupil_id", "INTEGER NOT NULL REFERENCES pupils(id)", "pupils", "pupil", "of",
                   none=["Which pupils are not enrolled in any course?", "List the pupils with no enrolments."]),
            F("course_id", "INTEGER NOT NULL REFERENCES courses(id)", "courses", "course", "in",
              none=["Which courses have nobody enrolled?", "Find the courses without any pupils."]),
            D("enrolled_on", DATE, "enrolments made", main=True),
            N("final_mark", "REAL  -- NULL until graded", "final mark", [50, 70, 90],
              ["enrolments with a final mark above {n}"], ["enrolments with a final mark below {n}"],
              null=["enrolments that have not been graded yet", "ungraded enrolments"],
              nn=["graded enrolments", "enrolments that already have a mark"])]),
    ]),
    ("shop", [
        T("customers", "customer", "customers", [
            K(), L("name", "TEXT NOT NULL", "name"), X("email", "TEXT NOT NULL UNIQUE"),
            C("city", "TEXT NOT NULL", "city", TOWNS, ["{p} in {v}", "{p} from {v}"]),
            D("signed_up_on", DATE, "customers who signed up", main=True)]),
        T("products", "product", "products", [
            K(), L("name", "TEXT NOT NULL", "name"),
            C("category", "TEXT NOT NULL CHECK (category IN ('kitchen', 'garden', 'toys', 'stationery', 'clothing'))", "category",
              ph=["{p} in the {v} category", "{p} from the {v} range"], ws="categories"),
            N("price", "REAL NOT NULL", "price", [5, 10, 25, 50], ["{p} costing more than {n}", "{p} priced above {n}"],
              ["{p} cheaper than {n}", "{p} under {n}"]),
            N("stock", "INTEGER NOT NULL DEFAULT 0", "stock level", [5, 10, 100], ["{p} with more than {n} in stock"],
              ["{p} with fewer than {n} in stock"])],
          extra=[("products that are out of stock", "{a}stock = 0", "a stock of 0 means none are left")]),
        T("orders", "order", "orders", [
            K(), F("customer_id", "INTEGER NOT NULL REFERENCES customers(id)", "customers", "customer", "from",
                   none=["Which customers have never placed an order?", "List customers without any orders."]),
            D("ordered_at", STAMP, "orders placed", main=True),
            C("status", "TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped', 'cancelled'))", "status",
              ph=["{v} {p}", "{p} with status {v}", "{p} marked {v}"], ws="statuses"),
            D("shipped_on", "TEXT  -- 'YYYY-MM-DD', NULL until shipped", "orders shipped",
              null=["orders that have not shipped yet", "orders still waiting to ship", "unshipped orders"],
              nn=["orders that have already shipped", "orders with a shipping date"])]),
        T("order_items", "order line", "order lines", [
            K(), F("order_id", "INTEGER NOT NULL REFERENCES orders(id)", "orders", "order", "in"),
            F("product_id", "INTEGER NOT NULL REFERENCES products(id)", "products", "product", "for",
              none=["Which products have never been ordered?", "List the products nobody has bought."]),
            N("quantity", "INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0)", "quantity", [1, 2, 5, 10]),
            N("unit_price", "REAL NOT NULL", "unit price", [5, 10, 20])],
          custom=[(["What is the total value of all order lines?", "How much are all the order lines worth together?"],
                   "SELECT SUM(quantity * unit_price) AS total_value FROM order_items;",
                   "Each line is worth its quantity times its unit price, and SUM adds those up.")]),
    ]),
    ("clinic", [
        T("doctors", "doctor", "doctors", [
            K(), L("name", "TEXT NOT NULL", "name"),
            C("specialty", "TEXT NOT NULL CHECK (specialty IN ('general', 'cardiology', 'dermatology', 'paediatrics'))", "specialty",
              ph=["{p} in {v}", "{p} who work in {v}"], ws="specialties"),
            D("started_on", DATE, "doctors who started", main=True)]),
        T("patients", "patient", "patients", [
            K(), L("name", "TEXT NOT NULL", "name"), D("born_on", DATE, "patients born"), X("phone", "TEXT"),
            B("insured", "INTEGER NOT NULL DEFAULT 1  -- 1 = insured, 0 = not insured", ["insured {p}", "{p} with insurance"],
              ["uninsured {p}", "{p} without insurance"])]),
        T("appointments", "appointment", "appointments", [
            K(), F("doctor_id", "INTEGER NOT NULL REFERENCES doctors(id)", "doctors", "doctor", "with"),
            F("patient_id", "INTEGER NOT NULL REFERENCES patients(id)", "patients", "patient", "for",
              none=["Which patients have never had an appointment?", "List patients with no appointments."]),
            D("starts_at", STAMP, "appointments scheduled", main=True),
            C("status", "TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'done', 'missed', 'cancelled'))", "status",
              ph=["{p} marked {v}", "{p} with status {v}"], ws="statuses"),
            N("fee", "REAL NOT NULL DEFAULT 0", "fee", [20, 50, 80], ["{p} with a fee above {n}"], ["{p} costing less than {n}"])],
          extra=[("missed appointments", "{a}status = 'missed'", "status = 'missed' picks the appointments nobody came to")]),
        T("prescriptions", "prescription", "prescriptions", [
            K(), F("appointment_id", "INTEGER NOT NULL REFERENCES appointments(id)", "appointments", "appointment", "from"),
            C("medicine", "TEXT NOT NULL", "medicine", ["ibuprofen", "amoxicillin", "cetirizine", "omeprazole"], ["{p} for {v}"]),
            N("days", "INTEGER NOT NULL", "length in days", [5, 7, 14, 30], ["{p} lasting more than {n} days"],
              ["{p} shorter than {n} days"]),
            N("refills", "INTEGER NOT NULL DEFAULT 0", "number of refills", [0, 1, 2], ["{p} with more than {n} refills"],
              ["{p} with fewer than {n} refills"])]),
    ]),
    ("cinema", [
        T("films", "film", "films", [
            K(), L("title", "TEXT NOT NULL", "title", ["love", "night", "last", "summer"]),
            C("genre", "TEXT NOT NULL CHECK (genre IN ('comedy', 'drama', 'horror', 'animation', 'documentary'))", "genre",
              ph=["{v} {p}", "{p} in the {v} genre"]),
            N("minutes", "INTEGER NOT NULL", "running time", [90, 120, 150], ["{p} longer than {n} minutes"],
              ["{p} shorter than {n} minutes"]),
            C("rating", "TEXT CHECK (rating IN ('U', 'PG', '12', '15', '18'))", "age rating", ph=["{p} rated {v}"]),
            D("released_on", DATE, "films released", main=True)]),
        T("screens", "screen", "screens", [
            K(), L("name", "TEXT NOT NULL", "name"),
            N("seats", "INTEGER NOT NULL", "seat count", [50, 100, 200], ["{p} with more than {n} seats"], ["{p} with fewer than {n} seats"]),
            B("has_3d", "INTEGER NOT NULL DEFAULT 0  -- 1 = can show 3D films", ["{p} that can show 3D", "3D {p}"], ["{p} without 3D"])]),
        T("screenings", "screening", "screenings", [
            K(), F("film_id", "INTEGER NOT NULL REFERENCES films(id)", "films", "film", "of",
                   none=["Which films have never been shown?", "List the films with no screenings."]),
            F("screen_id", "INTEGER NOT NULL REFERENCES screens(id)", "screens", "screen", "in"),
            D("starts_at", STAMP, "screenings", main=True),
            N("price", "REAL NOT NULL", "ticket price", [6, 8, 10], ["{p} with tickets over {n}"], ["{p} with tickets under {n}"])]),
        T("tickets", "ticket", "tickets", [
            K(), F("screening_id", "INTEGER NOT NULL REFERENCES screenings(id)", "screenings", "screening", "for",
                   none=["Which screenings sold no tickets at all?", "List the screenings nobody bought a ticket for."]),
            X("seat", "TEXT NOT NULL"),
            C("kind", "TEXT NOT NULL CHECK (kind IN ('adult', 'child', 'senior', 'student'))", "ticket type", ph=["{v} {p}"]),
            D("sold_at", STAMP, "tickets sold", main=True),
            B("refunded", "INTEGER NOT NULL DEFAULT 0", ["refunded {p}"], ["{p} that were not refunded"])]),
    ]),
    ("zoo", [
        T("enclosures", "enclosure", "enclosures", [
            K(), L("name", "TEXT NOT NULL", "name", ["house", "pool", "yard"]),
            C("zone", "TEXT NOT NULL CHECK (zone IN ('savanna', 'jungle', 'arctic', 'farm', 'desert'))", "zone",
              ph=["{p} in the {v} zone", "{v} {p}"]),
            N("area_m2", "REAL NOT NULL", "area", [100, 500, 1000], ["{p} bigger than {n} square metres"],
              ["{p} smaller than {n} square metres"])]),
        T("animals", "animal", "animals", [
            K(), L("name", "TEXT NOT NULL", "name"),
            C("species", "TEXT NOT NULL", "species", ["zebra", "penguin", "lemur", "tortoise", "giraffe"],
              ["{p} that are {v}s", "{v}s"], ws="species"),
            F("enclosure_id", "INTEGER NOT NULL REFERENCES enclosures(id)", "enclosures", "enclosure", "in",
              none=["Which enclosures are empty?", "List the enclosures with no animals in them."]),
            D("born_on", "TEXT  -- 'YYYY-MM-DD', NULL if unknown", "animals born",
              null=["animals whose birth date is unknown", "animals with no known birthday"]),
            N("weight_kg", "REAL", "weight", [10, 50, 200], ["{p} heavier than {n} kg"], ["{p} lighter than {n} kg"]),
            C("diet", "TEXT NOT NULL CHECK (diet IN ('herbivore', 'carnivore', 'omnivore'))", "diet",
              ph=["{p} that are {v}s", "{v} {p}"])]),
        T("keepers", "keeper", "keepers", [
            K(), L("name", "TEXT NOT NULL", "name"), D("hired_on", DATE, "keepers hired", main=True)]),
        T("feedings", "feeding", "feedings", [
            K(), F("animal_id", "INTEGER NOT NULL REFERENCES animals(id)", "animals", "animal", "of",
                   none=["Which animals have never been fed according to the records?", "List the animals with no feedings logged."]),
            F("keeper_id", "INTEGER NOT NULL REFERENCES keepers(id)", "keepers", "keeper", "by"),
            D("fed_at", STAMP, "feedings", main=True),
            C("food", "TEXT NOT NULL", "food", ["hay", "fish", "fruit", "insects", "meat"], ["{p} of {v}", "{v} {p}"]),
            N("amount_kg", "REAL NOT NULL", "amount", [1, 2, 5], ["{p} of more than {n} kg"], ["{p} of less than {n} kg"])]),
    ]),
    ("airline", [
        T("airports", "airport", "airports", [
            K(), L("name", "TEXT NOT NULL", "name", ["International", "City"]), X("code", "TEXT NOT NULL UNIQUE  -- three letters"),
            C("country", "TEXT NOT NULL", "country", COUNTRIES, ["{p} in {v}"], ws="countries")]),
        T("flights", "flight", "flights", [
            K(), L("number", "TEXT NOT NULL", "flight number"),
            F("origin_id", "INTEGER NOT NULL REFERENCES airports(id)", "airports", "departure airport", "from",
              none=["Which airports have no flights leaving from them?", "List the airports that no flight departs from."]),
            F("destination_id", "INTEGER NOT NULL REFERENCES airports(id)", "airports", "arrival airport", "to",
              none=["Which airports have no flights arriving?", "List the airports that no flight flies to."]),
            D("departs_at", STAMP, "flights departing", main=True),
            D("landed_at", "TEXT  -- NULL until the plane lands", "flights that landed",
              null=["flights that have not landed yet"], nn=["flights that have landed"]),
            C("status", "TEXT NOT NULL CHECK (status IN ('scheduled', 'boarding', 'departed', 'landed', 'cancelled'))", "status",
              ph=["{v} {p}", "{p} that are {v}"], ws="statuses")]),
        T("passengers", "passenger", "passengers", [
            K(), L("name", "TEXT NOT NULL", "name"),
            C("nationality", "TEXT NOT NULL", "nationality", ["Norwegian", "Chilean", "Kenyan", "Japanese", "Canadian"],
              ["{v} {p}", "{p} who are {v}"]),
            B("frequent_flyer", "INTEGER NOT NULL DEFAULT 0", ["frequent flyer {p}", "{p} in the frequent flyer scheme"],
              ["{p} who are not frequent flyers"])]),
        T("reservations", "reservation", "reservations", [
            K(), F("flight_id", "INTEGER NOT NULL REFERENCES flights(id)", "flights", "flight", "on",
                   none=["Which flights have no reservations?", "List the flights nobody has booked."]),
            F("passenger_id", "INTEGER NOT NULL REFERENCES passengers(id)", "passengers", "passenger", "for"),
            C("cabin", "TEXT NOT NULL CHECK (cabin IN ('economy', 'premium', 'business'))", "cabin", ph=["{v} {p}", "{p} in {v}"]),
            N("price", "REAL NOT NULL", "price", [100, 300, 800], ["{p} costing more than {n}"], ["{p} cheaper than {n}"]),
            D("booked_at", STAMP, "reservations made", main=True),
            B("checked_in", "INTEGER NOT NULL DEFAULT 0", ["{p} that are checked in"], ["{p} not checked in yet"])]),
    ]),
    ("gym", [
        T("trainers", "trainer", "trainers", [
            K(), L("name", "TEXT NOT NULL", "name"),
            C("speciality", "TEXT NOT NULL", "speciality", ["yoga", "boxing", "spinning", "pilates"], ["{p} who teach {v}", "{v} {p}"],
              ws="specialities"),
            N("hourly_rate", "REAL NOT NULL", "hourly rate", [20, 30, 40], ["{p} charging more than {n} an hour"],
              ["{p} charging less than {n} an hour"])]),
        T("classes", "class", "classes", [
            K(), L("title", "TEXT NOT NULL", "title", ["yoga", "core", "morning"]),
            F("trainer_id", "INTEGER NOT NULL REFERENCES trainers(id)", "trainers", "trainer", "led by",
              none=["Which trainers have no classes?", "List the trainers who are not leading any class."]),
            C("weekday", "TEXT NOT NULL CHECK (weekday IN ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'))",
              "weekday", ph=["{p} on {v}s", "{v} {p}"]),
            X("starts", "TEXT NOT NULL  -- 'HH:MM'"),
            N("capacity", "INTEGER NOT NULL", "capacity", [10, 15, 20], ["{p} with room for more than {n} people"],
              ["{p} for fewer than {n} people"], ws="capacities"),
            C("intensity", "TEXT NOT NULL CHECK (intensity IN ('low', 'medium', 'high'))", "intensity",
              ph=["{v}-intensity {p}", "{p} with {v} intensity"], ws="intensities")]),
        T("clients", "client", "clients", [
            K(), L("name", "TEXT NOT NULL", "name"),
            C("plan", "TEXT NOT NULL CHECK (plan IN ('basic', 'plus', 'premium'))", "plan", ph=["{p} on the {v} plan"]),
            D("joined_on", DATE, "clients who joined", main=True)]),
        T("class_bookings", "booking", "bookings", [
            K(), F("class_id", "INTEGER NOT NULL REFERENCES classes(id)", "classes", "class", "for", roles="classes",
                   none=["Which classes have no bookings?", "List the classes nobody has booked."]),
            F("client_id", "INTEGER NOT NULL REFERENCES clients(id)", "clients", "client", "by",
              none=["Which clients have never booked a class?", "List clients with no bookings."]),
            D("booked_on", DATE, "bookings made", main=True),
            B("attended", "INTEGER  -- NULL until the class happens, 1 = came, 0 = did not come",
              ["{p} where the client turned up", "attended {p}"], ["no-show {p}", "{p} where the client did not come"],
              null=["bookings for classes that have not happened yet"])]),
    ]),
    ("restaurant", [
        T("dishes", "dish", "dishes", [
            K(), L("name", "TEXT NOT NULL", "name", ["chocolate", "lemon", "soup", "cheese"]),
            C("course", "TEXT NOT NULL CHECK (course IN ('starter', 'main', 'dessert', 'drink'))", "course",
              ph=["{p} in the {v} course", "{v} {p}"]),
            N("price", "REAL NOT NULL", "price", [5, 10, 15], ["{p} costing more than {n}"], ["{p} under {n}"]),
            B("vegetarian", "INTEGER NOT NULL DEFAULT 0", ["vegetarian {p}"], ["{p} that are not vegetarian"])]),
        T("dining_tables", "table", "tables", [
            K(), L("label", "TEXT NOT NULL", "label"),
            N("seats", "INTEGER NOT NULL", "number of seats", [2, 4, 6], ["{p} for more than {n} people"], ["{p} for fewer than {n} people"]),
            C("area", "TEXT NOT NULL CHECK (area IN ('inside', 'terrace', 'bar'))", "area", ph=["{p} in the {v} area"])]),
        T("visits", "visit", "visits", [
            K(), F("table_id", "INTEGER NOT NULL REFERENCES dining_tables(id)", "dining_tables", "table", "at",
                   none=["Which tables have never been used?", "List the tables with no visits."]),
            D("arrived_at", STAMP, "visits", main=True),
            D("left_at", "TEXT  -- NULL while the guests are still seated", "visits that ended",
              null=["visits that are still going on", "visits where the guests have not left yet"], nn=["finished visits"]),
            N("guests", "INTEGER NOT NULL", "party size", [2, 4, 6], ["visits by groups of more than {n}"],
              ["visits by groups smaller than {n}"]),
            N("tip", "REAL NOT NULL DEFAULT 0", "tip", [5, 10, 20], ["visits with a tip over {n}"], ["visits with a tip under {n}"])],
          custom=[(["How long does a visit last on average, in minutes?", "What is the average visit length in minutes?"],
                   "SELECT ROUND(AVG((julianday(left_at) - julianday(arrived_at)) * 24 * 60)) AS avg_minutes FROM visits WHERE left_at IS NOT NULL;",
                   "The julianday difference is in days, so multiplying by 24 * 60 gives minutes.")]),
        T("visit_dishes", "dish order", "dish orders", [
            K(), F("visit_id", "INTEGER NOT NULL REFERENCES visits(id)", "visits", "visit", "from"),
            F("dish_id", "INTEGER NOT NULL REFERENCES dishes(id)", "dishes", "dish", "of", roles="dishes",
              none=["Which dishes has nobody ordered?", "List the dishes that have never been ordered."]),
            N("quantity", "INTEGER NOT NULL DEFAULT 1", "quantity", [1, 2, 3])]),
    ]),
    ("hotel", [
        T("rooms", "room", "rooms", [
            K(), L("number", "TEXT NOT NULL UNIQUE", "room number"),
            C("kind", "TEXT NOT NULL CHECK (kind IN ('single', 'double', 'suite', 'family'))", "room type", ph=["{v} {p}"]),
            C("floor", "INTEGER NOT NULL", "floor", [1, 2, 3, 4], ["{p} on floor {v}"]),
            N("nightly_rate", "REAL NOT NULL", "nightly rate", [60, 100, 150], ["{p} costing more than {n} a night"],
              ["{p} under {n} a night"]),
            B("sea_view", "INTEGER NOT NULL DEFAULT 0", ["{p} with a sea view"], ["{p} without a sea view"])]),
        T("guests", "guest", "guests", [
            K(), L("name", "TEXT NOT NULL", "name"),
            C("country", "TEXT", "country", COUNTRIES, ["{p} from {v}"], ws="countries"), X("email", "TEXT")]),
        T("bookings", "booking", "bookings", [
            K(), F("room_id", "INTEGER NOT NULL REFERENCES rooms(id)", "rooms", "room", "for",
                   none=["Which rooms have never been booked?", "List the rooms with no bookings."]),
            F("guest_id", "INTEGER NOT NULL REFERENCES guests(id)", "guests", "guest", "by"),
            D("check_in", DATE, "bookings starting", main=True),
            D("check_out", DATE, "bookings ending"),
            C("status", "TEXT NOT NULL CHECK (status IN ('confirmed', 'cancelled', 'completed'))", "status",
              ph=["{v} {p}", "{p} that are {v}"], ws="statuses"),
            N("total", "REAL NOT NULL", "total price", [200, 500, 1000], ["{p} worth more than {n}"], ["{p} worth less than {n}"])],
          extra=[("bookings longer than a week", "julianday({a}check_out) - julianday({a}check_in) > 7",
                  "julianday turns the dates into day numbers, so their difference is the number of nights")],
          custom=[(["How many nights does a stay last on average?", "What is the average number of nights per booking?"],
                   "SELECT ROUND(AVG(julianday(check_out) - julianday(check_in)), 1) AS avg_nights FROM bookings WHERE status <> 'cancelled';",
                   "The difference of the two julianday values is the number of nights, and cancelled bookings are left out.")]),
        T("reviews", "review", "reviews", [
            K(), F("booking_id", "INTEGER NOT NULL REFERENCES bookings(id)", "bookings", "booking", "for"),
            N("stars", "INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5)", "star rating", [2, 3, 4], ["{p} with more than {n} stars"],
              ["{p} with fewer than {n} stars"]),
            D("written_on", DATE, "reviews written", main=True), X("comment", "TEXT")],
          extra=[("five-star reviews", "{a}stars = 5", "stars = 5 keeps only the top rating")]),
    ]),
    ("music", [
        T("artists", "artist", "artists", [
            K(), L("name", "TEXT NOT NULL", "name"),
            C("country", "TEXT", "country", COUNTRIES, ["{p} from {v}"], ws="countries"),
            N("formed_year", "INTEGER", "formation year", [1980, 2000, 2015], ["{p} formed after {n}"], ["{p} formed before {n}"], agg=False)]),
        T("albums", "album", "albums", [
            K(), L("title", "TEXT NOT NULL", "title", ["blue", "heart", "summer", "live"]),
            F("artist_id", "INTEGER NOT NULL REFERENCES artists(id)", "artists", "artist", "by",
              none=["Which artists have no albums?", "List the artists who have not released an album."]),
            D("released_on", DATE, "albums released", main=True),
            C("genre", "TEXT NOT NULL CHECK (genre IN ('pop', 'rock', 'jazz', 'folk', 'electronic'))", "genre",
              ph=["{v} {p}", "{p} in the {v} genre"])]),
        T("tracks", "track", "tracks", [
            K(), L("title", "TEXT NOT NULL", "title", ["love", "blue", "dance", "home"]),
            F("album_id", "INTEGER NOT NULL REFERENCES albums(id)", "albums", "album", "on"),
            N("seconds", "INTEGER NOT NULL", "length in seconds", [120, 180, 300], ["{p} longer than {n} seconds"],
              ["{p} shorter than {n} seconds"]),
            B("explicit", "INTEGER NOT NULL DEFAULT 0", ["explicit {p}"], ["{p} that are not explicit"])]),
        T("listeners", "listener", "listeners", [
            K(), L("name", "TEXT NOT NULL", "name"),
            C("plan", "TEXT NOT NULL CHECK (plan IN ('free', 'family', 'premium'))", "plan", ph=["{p} on the {v} plan", "{v} {p}"]),
            D("joined_on", DATE, "listeners who joined", main=True)]),
        T("plays", "play", "plays", [
            K(), F("track_id", "INTEGER NOT NULL REFERENCES tracks(id)", "tracks", "track", "of",
                   none=["Which tracks have never been played?", "List the tracks nobody has listened to."]),
            F("listener_id", "INTEGER NOT NULL REFERENCES listeners(id)", "listeners", "listener", "by",
              none=["Which listeners have never played anything?", "List listeners with no plays."]),
            D("played_at", STAMP, "plays", main=True),
            N("seconds_played", "INTEGER NOT NULL", "seconds played", [30, 60, 120], ["{p} that lasted more than {n} seconds"],
              ["{p} shorter than {n} seconds"])]),
    ]),
    ("garden", [
        T("gardeners", "gardener", "gardeners", [
            K(), L("name", "TEXT NOT NULL", "name"), X("phone", "TEXT"),
            D("joined_on", DATE, "gardeners who joined", main=True)]),
        T("plots", "plot", "plots", [
            K(), L("code", "TEXT NOT NULL UNIQUE", "code"),
            F("gardener_id", "INTEGER REFERENCES gardeners(id)  -- NULL while the plot is free", "gardeners", "gardener", "held by",
              null=["free plots", "plots nobody is using", "plots without a gardener"], nn=["plots that are taken"],
              none=["Which gardeners do not have a plot?", "List the gardeners without a plot."]),
            N("size_m2", "REAL NOT NULL", "size", [10, 20, 40], ["{p} bigger than {n} square metres"], ["{p} smaller than {n} square metres"]),
            B("has_water", "INTEGER NOT NULL DEFAULT 1", ["{p} with a water tap"], ["{p} without water"])]),
        T("harvests", "harvest", "harvests", [
            K(), F("plot_id", "INTEGER NOT NULL REFERENCES plots(id)", "plots", "plot", "from",
                   none=["Which plots have not produced any harvest?", "List the plots with no harvests recorded."]),
            C("crop", "TEXT NOT NULL", "crop", ["tomatoes", "beans", "potatoes", "courgettes", "lettuce"], ["{p} of {v}"]),
            D("picked_on", DATE, "harvests picked", main=True),
            N("weight_kg", "REAL NOT NULL", "weight", [1, 5, 10], ["{p} heavier than {n} kg"], ["{p} under {n} kg"])]),
        T("tool_loans", "tool loan", "tool loans", [
            K(), F("gardener_id", "INTEGER NOT NULL REFERENCES gardeners(id)", "gardeners", "gardener", "by",
                   none=["Which gardeners have never borrowed a tool?", "List gardeners with no tool loans."]),
            C("tool", "TEXT NOT NULL", "tool", ["spade", "rake", "wheelbarrow", "hose", "shears"], ["{p} of the {v}", "{v} loans"]),
            D("taken_on", DATE, "tool loans made", main=True),
            D("returned_on", "TEXT  -- NULL until returned", "tool loans returned",
              null=["tools that are still out", "tool loans not returned yet"], nn=["returned tool loans"])]),
    ]),
    ("projects", [
        T("people", "person", "people", [
            K(), L("name", "TEXT NOT NULL", "name"),
            C("team", "TEXT NOT NULL CHECK (team IN ('design', 'backend', 'support', 'sales'))", "team",
              ph=["{p} in the {v} team", "{p} on the {v} team"])]),
        T("projects", "project", "projects", [
            K(), L("name", "TEXT NOT NULL", "name", ["website", "app", "migration"]),
            F("owner_id", "INTEGER NOT NULL REFERENCES people(id)", "people", "owner", "owned by",
              none=["Who does not own any project?", "List the people who own no projects."]),
            D("started_on", DATE, "projects started", main=True),
            N("budget", "REAL", "budget", [1000, 5000, 20000], ["{p} with a budget over {n}"], ["{p} with a budget under {n}"])]),
        T("tasks", "task", "tasks", [
            K(), L("title", "TEXT NOT NULL", "title", ["login", "report", "fix", "export"]),
            F("project_id", "INTEGER NOT NULL REFERENCES projects(id)", "projects", "project", "in",
              none=["Which projects have no tasks yet?", "List the projects without any tasks."]),
            F("assignee_id", "INTEGER REFERENCES people(id)  -- NULL if nobody has it yet", "people", "assignee", "assigned to",
              null=["unassigned tasks", "tasks nobody has picked up"], nn=["assigned tasks"],
              none=["Who has no tasks assigned?", "List the people with no tasks."]),
            C("priority", "TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent'))", "priority",
              ph=["{v}-priority {p}", "{v} {p}"], ws="priorities"),
            D("created_on", DATE, "tasks created", main=True),
            D("done_on", "TEXT  -- NULL until finished", "tasks finished",
              null=["open tasks", "unfinished tasks", "tasks that are not done yet"], nn=["finished tasks", "completed tasks"]),
            N("estimate_hours", "REAL", "estimate", [2, 8, 20], ["{p} estimated at more than {n} hours"],
              ["{p} estimated at under {n} hours"])],
          custom=[(["How many days does it take to finish a task, on average?", "What is the average time from creating a task to finishing it, in days?"],
                   "SELECT ROUND(AVG(julianday(done_on) - julianday(created_on)), 1) AS avg_days FROM tasks WHERE done_on IS NOT NULL;",
                   "Only finished tasks have a done_on date, and julianday gives the gap in days.")]),
    ]),
    ("bakery", [
        T("suppliers", "supplier", "suppliers", [
            K(), L("name", "TEXT NOT NULL", "name"),
            C("town", "TEXT NOT NULL", "town", TOWNS, ["{p} in {v}", "{p} based in {v}"])]),
        T("ingredients", "ingredient", "ingredients", [
            K(), L("name", "TEXT NOT NULL", "name", ["flour", "sugar", "seed"]),
            F("supplier_id", "INTEGER NOT NULL REFERENCES suppliers(id)", "suppliers", "supplier", "from",
              none=["Which suppliers do not provide any ingredient?", "List suppliers we buy nothing from."]),
            N("cost_per_kg", "REAL NOT NULL", "cost per kg", [1, 3, 10], ["{p} costing more than {n} per kg"], ["{p} under {n} per kg"]),
            N("stock_kg", "REAL NOT NULL DEFAULT 0", "stock in kg", [5, 20, 50], ["{p} with more than {n} kg in stock"],
              ["{p} with less than {n} kg left"])]),
        T("batches", "batch", "batches", [
            K(), C("product", "TEXT NOT NULL CHECK (product IN ('sourdough', 'rye loaf', 'croissant', 'bagel', 'scone'))", "product",
                   ph=["{p} of {v}", "{v} {p}"]),
            D("baked_at", STAMP, "batches baked", main=True),
            N("loaves", "INTEGER NOT NULL", "number of items", [12, 24, 48], ["{p} of more than {n} items"], ["{p} of fewer than {n} items"]),
            N("unsold", "INTEGER  -- NULL until the day is over", "number left unsold", [0, 5, 10], ["{p} with more than {n} left unsold"],
              ["{p} with fewer than {n} left unsold"], null=["batches still on sale today"], nn=["batches whose leftovers have been counted"])]),
    ]),
]

TABLES = {}
for _dom, _tabs in DOMAINS:
    for _t in _tabs:
        _t["domain"] = _dom
        TABLES[(_dom, _t["name"])] = _t


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

def create_table(t):
    lines = []
    for i, (c, typ, _, _) in enumerate(t["cols"]):
        comma = "," if i < len(t["cols"]) - 1 else ""
        if "--" in typ:
            typ, comment = typ.split("--", 1)
            lines.append("  %s %s%s  --%s" % (c, typ.rstrip(), comma, comment))
        else:
            lines.append("  %s %s%s" % (c, typ, comma))
    return "CREATE TABLE %s (\n%s\n);" % (t["name"], "\n".join(lines))


def lit(v):
    return ("'%s'" % v.replace("'", "''")) if isinstance(v, str) else str(v)


def cols_of(t, kind):
    return [c for c in t["cols"] if c[2] == kind]


def label(t):
    ls = cols_of(t, "L")
    return ls[0] if ls else None


def main_date(t):
    ds = [c for c in cols_of(t, "D") if c[3]["main"]]
    return ds[0] if ds else None


def show_cols(t, a=""):
    lab = label(t)
    if lab:
        return [a + lab[0]]
    d = main_date(t)
    return [a + "id"] + ([a + d[0]] if d else [])


def cap(s):
    return s[0].upper() + s[1:]


def an(w):
    return ("an " if w[0] in "aeiou" else "a ") + w


def lower_first(q):
    return q if q.startswith(("I ", "I'")) else q[0].lower() + q[1:]


def kword(g, k):
    return KWORDS[k] if k in KWORDS and g.chance(0.5) else str(k)


def fmt_sql(g, clauses):
    """Clauses joined on one line, or one clause per line for long queries."""
    one = " ".join(clauses) + ";"
    if len(one) > 85 and g.chance(0.5):
        return "\n".join(clauses) + ";"
    return one


def sel(cols, frm, where=None, group=None, having=None, order=None, limit=None, distinct=False):
    cl = ["SELECT %s%s" % ("DISTINCT " if distinct else "", ", ".join(cols))]
    cl += frm if isinstance(frm, list) else ["FROM " + frm]
    if where:
        cl.append("WHERE " + where)
    if group:
        cl.append("GROUP BY " + group)
    if having:
        cl.append("HAVING " + having)
    if order:
        cl.append("ORDER BY " + order)
    if limit:
        cl.append("LIMIT %d" % limit)
    return cl


SQL_WORDS = ["AS", "BY", "DO", "IF", "IN", "IS", "NO", "OF", "ON", "OR", "TO"]


class Ctx:
    def __init__(self, tables):
        self.tables = tables
        self.names = [t["name"] for t in tables]

    def get(self, name):
        for t in self.tables:
            if t["name"] == name:
                return t
        return None

    def alias(self, t, taken):
        words = t["name"].split("_")
        cands = ["".join(w[0] for w in words)] if len(words) > 1 else []
        cands += [t["name"][0], t["name"][:2], t["name"][0] + "2", t["name"][0] + "3"]
        for a in cands:
            if a not in taken and a.upper() not in SQL_WORDS:
                taken.append(a)
                return a
        raise ValueError(t["name"])

    def links(self):
        """(child, fk column, parent) for every foreign key inside the prompt."""
        out = []
        for t in self.tables:
            for c in cols_of(t, "F"):
                p = self.get(c[3]["to"])
                if p is not None:
                    out.append((t, c, p))
        return out


# ---------------------------------------------------------------------------
# Filters: (noun phrase, condition, explanation) on one table, alias a ("l.")
# ---------------------------------------------------------------------------

def date_filter(g, t, col, a):
    name, typ, _, info = col
    np = info["np"]
    c = a + name
    k = g.r.randrange(7)
    y = g.randint(2019, 2025)
    now = "datetime" if info["time"] else "date"
    if k == 0:
        ph = g.pick(["%s in %d", "%s during %d", "%s in the year %d"]) % (np, y)
        form = g.r.randrange(3)
        if form == 0:
            return ph, "strftime('%%Y', %s) = '%d'" % (c, y), "strftime('%Y', ...) takes the year out of the date"
        if form == 1:
            return ph, "%s >= '%d-01-01' AND %s < '%d-01-01'" % (c, y, c, y + 1), "the two comparisons keep the dates inside %d" % y
        return ph, "%s LIKE '%d-%%'" % (c, y), "LIKE '%d-%%' matches every date that starts with that year" % y
    if k == 1:
        m = g.randint(1, 12)
        ph = g.pick(["%s in %s %d", "%s during %s %d"]) % (np, MONTHS[m - 1], y)
        if g.chance(0.5):
            return ph, "strftime('%%Y-%%m', %s) = '%d-%02d'" % (c, y, m), "strftime('%Y-%m', ...) gives the year and month of each date"
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        return ph, "%s >= '%d-%02d-01' AND %s < '%d-%02d-01'" % (c, y, m, c, ny, nm), \
            "the dates are text in 'YYYY-MM-DD' form, so comparing them as strings keeps that month"
    if k == 2:
        n, words = g.pick([(7, ["in the last 7 days", "in the past week", "over the last week"]),
                           (30, ["in the last 30 days", "over the past 30 days"]), (14, ["in the last two weeks"]),
                           (3, ["in the last three days"])])
        return "%s %s" % (np, g.pick(words)), "%s >= %s('now', '-%d days')" % (c, now, n), \
            "%s('now', '-%d days') is the moment %d days ago, so only newer rows are kept" % (now, n, n)
    if k == 3:
        return "%s before %d" % (np, y), "%s < '%d-01-01'" % (c, y), "any date before '%d-01-01' is from an earlier year" % y
    if k == 4:
        return "%s this year" % np, "strftime('%%Y', %s) = strftime('%%Y', 'now')" % c, \
            "strftime('%Y', 'now') is the current year, and the date's year must match it"
    if k == 5:
        return "%s since %d" % (np, y), "%s >= '%d-01-01'" % (c, y), "dates from '%d-01-01' onwards are kept" % y
    return "%s in the last month" % np, "%s >= %s('now', '-1 month')" % (c, now), \
        "%s('now', '-1 month') is the same moment one month ago" % now


def one_filter(g, ctx, t, a, allow_join=True):
    r = _one_filter(g, ctx, t, a, allow_join)
    return r if len(r) == 4 else r + ([],)


def _one_filter(g, ctx, t, a, allow_join=True):
    """A random filter on table t.  Returns (np, cond, expl, extra_from) where
    extra_from is a list of JOIN clauses it needs (may be empty)."""
    p = t["p"]
    opts = []
    for col in t["cols"]:
        kind, info = col[2], col[3]
        if kind in ("C", "N", "B") or (kind == "D" and info.get("np")) or (kind == "L" and g.chance(0.3)):
            opts.append(col)
        if info.get("null") and col not in opts:
            opts.append(col)
    if allow_join and any(c[2] == "F" and ctx.get(c[3]["to"]) for c in t["cols"]):
        opts += ["join", "join"]
    if t["extra"]:
        opts.append("extra")
    choice = g.pick(opts)
    if choice == "extra":
        np, cond, ex = g.pick(t["extra"])
        return np, cond.replace("{a}", a), ex, []
    if choice == "join":
        fk = g.pick([c for c in t["cols"] if c[2] == "F" and ctx.get(c[3]["to"])])
        par = ctx.get(fk[3]["to"])
        pa = ctx.alias(par, ctx.taken)
        np, cond, ex, _ = one_filter(g, ctx, par, pa + ".", allow_join=False)
        return ("%s %s %s" % (p, fk[3]["prep"], np), cond,
                "the JOIN brings in each %s's %s so that %s" % (t["s"], fk[3]["role"], ex),
                ["JOIN %s %s ON %s.id = %s%s" % (par["name"], pa, pa, a, fk[0])])
    name, typ, kind, info = choice
    c = a + name
    if info.get("null") and (kind in ("X", "F") or g.chance(0.4)):
        if info.get("nn") and g.chance(0.35):
            return g.pick(info["nn"]).replace("{p}", p), "%s IS NOT NULL" % c, "IS NOT NULL keeps the rows where %s has a value" % name
        return g.pick(info["null"]).replace("{p}", p), "%s IS NULL" % c, \
            g.pick(["IS NULL finds the rows where %s is still empty" % name, "%s IS NULL picks the rows with no %s yet" % (c, name)])
    if kind == "L":
        ws = info["w"]
        if g.chance(0.6):
            ch = g.pick("ABCDEGHKLMPRST")
            return ("%s whose %s starts with '%s'" % (p, ws, ch), "%s LIKE '%s%%'" % (c, ch),
                    "LIKE '%s%%' matches any %s that begins with %s" % (ch, ws, ch))
        if not info.get("words") or g.chance(0.3):
            ch = g.pick("ABCDEGHKLMPRST")
            return ("%s whose %s starts with '%s'" % (p, ws, ch), "%s LIKE '%s%%'" % (c, ch),
                    "LIKE '%s%%' matches any %s that begins with %s" % (ch, ws, ch))
        word = g.pick(info["words"])
        return ("%s with '%s' in the %s" % (p, word, ws), "%s LIKE '%%%s%%'" % (c, word),
                "the %% signs in LIKE '%%%s%%' match anything before and after the word" % word)
    if kind == "C":
        vals = info["vals"]
        k = g.r.randrange(6)
        if k == 0 and len(vals) > 2:
            v1, v2 = g.sample(vals, 2)
            ph = g.pick(["%s whose %s is %s or %s", "%s with %s %s or %s"]) % (p, info["w"], v1, v2)
            return ph, "%s IN (%s, %s)" % (c, lit(v1), lit(v2)), "IN checks %s against a short list of values" % name
        if k == 1 and len(vals) > 2:
            v = g.pick(vals)
            return ("%s whose %s is not %s" % (p, info["w"], v), "%s <> %s" % (c, lit(v)),
                    "<> means not equal, so every other %s is kept" % info["w"])
        v = g.pick(vals)
        return (g.pick(info["ph"]).replace("{p}", p).replace("{v}", str(v)), "%s = %s" % (c, lit(v)),
                g.pick(["WHERE keeps only the rows with %s = %s" % (c, lit(v)), "the WHERE clause matches %s exactly" % name]))
    if kind == "N":
        n = g.pick(info["ns"])
        if g.chance(0.5):
            return (g.pick(info["gt"]).replace("{p}", p).replace("{n}", str(n)), "%s > %d" % (c, n),
                    "the > sign keeps the rows where %s is greater than %d" % (name, n))
        if g.chance(0.2):
            lo, hi = sorted(g.sample(info["ns"], 2)) if len(info["ns"]) > 1 else (0, n)
            return ("%s with a %s between %d and %d" % (p, info["w"], lo, hi), "%s BETWEEN %d AND %d" % (c, lo, hi),
                    "BETWEEN includes both ends of the range")
        n = g.pick(info["ns"][1:] or info["ns"])
        return (g.pick(info["lt"]).replace("{p}", p).replace("{n}", str(n)), "%s < %d" % (c, n),
                "the < sign keeps the rows where %s is below %d" % (name, n))
    if kind == "B":
        if g.chance(0.5):
            return g.pick(info["yes"]).replace("{p}", p), "%s = 1" % c, "%s is 1 for yes and 0 for no" % name
        return g.pick(info["no"]).replace("{p}", p), "%s = 0" % c, "%s = 0 picks the rows where the flag is off" % name
    if kind == "D":
        return date_filter(g, t, choice, a)
    raise ValueError(choice)


# ---------------------------------------------------------------------------
# Question kinds.  Each returns (question, clauses, explanation) or None.
# ---------------------------------------------------------------------------

def filtered_source(g, ctx, t, allow_join=True):
    """Table t, maybe filtered.  Returns (np, alias, from clauses, where, filter expl)."""
    ctx.taken = []
    a = ctx.alias(t, ctx.taken)
    if g.chance(0.15):
        return t["p"], "", ["FROM " + t["name"]], None, None
    np, cond, ex, joins = one_filter(g, ctx, t, a + ".", allow_join)
    if not joins:
        return np, "", ["FROM " + t["name"]], cond.replace(a + ".", ""), ex.replace(a + ".", "")
    return np, a + ".", ["FROM %s %s" % (t["name"], a)] + joins, cond, ex


def join_expl(ex, main):
    return cap(main) + (", and " + ex if ex else "") + "."


def q_count(g, ctx, t):
    np, a, frm, where, ex = filtered_source(g, ctx, t)
    q = g.pick(["How many %s are there?", "How many %s do we have?", "Count the %s.", "What is the number of %s?",
                "Can you count the %s for me?", "Tell me how many %s there are.", "How many %s are in the database?",
                "I'd like to know how many %s there are."]) % np
    return q, sel(["COUNT(*)"], frm, where), join_expl(ex, g.pick(["COUNT(*) counts the rows", "COUNT(*) gives the number of rows"]))


def q_list(g, ctx, t):
    np, a, frm, where, ex = filtered_source(g, ctx, t)
    cols = show_cols(t, a)
    extra = []
    nums = cols_of(t, "N")
    if nums and g.chance(0.4):
        extra = [a + g.pick(nums)[0]]
    d = main_date(t)
    order = None
    if g.chance(0.6):
        order = g.pick([cols[0]] + ([a + d[0] + " DESC", a + d[0]] if d else []))
    q = g.pick(["List the %s.", "Show me all %s.", "Give me every one of the %s.", "I need a list of the %s.",
                "Can you show the %s?", "Find all %s.", "Show the %s, please."] + (["Which %s are there?"] if not where else [])) % np
    if label(t) and g.chance(0.4):
        q = g.pick(["What are the %ss of the %s?", "Give me the %ss of all %s."]) % (label(t)[3]["w"], np)
    why = g.pick(["SELECT lists the columns to show", "SELECT names the columns you want", "the column list after SELECT says what to show"])
    why += (" and ORDER BY sorts them" if order else "")
    return q, sel(cols + extra, frm, where, order=order), join_expl(ex, why)


def q_agg(g, ctx, t):
    nums = cols_of(t, "N")
    if not nums:
        return None
    col = g.pick(nums)
    name, _, _, info = col
    np, a, frm, where, ex = filtered_source(g, ctx, t)
    c = a + name
    w = info["w"]
    ops = ["MAX", "MIN"] + (["AVG", "SUM", "ROUND"] if info["agg"] else [])
    op = g.pick(ops)
    if op == "AVG":
        q = g.pick(["What is the average %s of the %s?", "On average, what is the %s of %s?", "What's the mean %s across %s?"]) % (w, np)
        sql, why = "AVG(%s)" % c, "AVG works out the average, skipping NULLs"
    elif op == "ROUND":
        d = g.pick([1, 2])
        dw = g.pick(["one decimal place", "1 decimal place"]) if d == 1 else g.pick(["two decimal places", "2 decimal places"])
        q = g.pick(["What is the average %s of the %s, rounded to %s?", "Give the average %s of %s to %s."]) % (w, np, dw)
        sql, why = "ROUND(AVG(%s), %d)" % (c, d), "ROUND(..., %d) rounds the average to %s" % (d, dw)
    elif op == "SUM":
        q = g.pick(["What is the total %s of the %s?", "Add up the %s of all %s.", "What do the %s add up to in %s?"])
        q = q % ((w, np) if q.count("%s") == 2 and not q.startswith("What do") else (np, w)) if not q.startswith("What do") \
            else "What is the sum of the %s over all %s?" % (w, np)
        sql, why = "SUM(%s)" % c, "SUM adds the values together"
    elif op == "MAX":
        q = g.pick(["What is the highest %s among the %s?", "What's the biggest %s of any of the %s?", "Find the maximum %s of %s."]) % (w, np)
        sql, why = "MAX(%s)" % c, "MAX returns the largest value"
    else:
        q = g.pick(["What is the lowest %s among the %s?", "What's the smallest %s of the %s?", "Find the minimum %s of %s."]) % (w, np)
        sql, why = "MIN(%s)" % c, "MIN returns the smallest value"
    alias = {"AVG": "avg_", "ROUND": "avg_", "SUM": "total_", "MAX": "max_", "MIN": "min_"}[op] + name
    return q, sel([sql + (" AS " + alias if g.chance(0.5) else "")], frm, where), join_expl(ex, why)


def q_top(g, ctx, t):
    nums = cols_of(t, "N")
    if not nums:
        return None
    name, _, _, info = g.pick(nums)
    np, a, frm, where, ex = filtered_source(g, ctx, t)
    k = g.pick([3, 5, 10])
    kw = kword(g, k)
    if g.chance(0.7):
        q = g.pick(["Show the %s %s with the highest %s.", "Which %s %s have the biggest %s?", "List the top %s %s by %s.",
                    "Give me the %s %s with the largest %s."]) % (kw, np, info["w"])
        order, why = a + name + " DESC", "ORDER BY ... DESC puts the largest first and LIMIT %d keeps the first %d" % (k, k)
    else:
        q = g.pick(["Show the %s %s with the lowest %s.", "Which %s %s have the smallest %s?", "List the bottom %s %s by %s."]) % (kw, np, info["w"])
        order, why = a + name, "ORDER BY sorts from small to large and LIMIT %d keeps the first %d" % (k, k)
    return q, sel(show_cols(t, a) + [a + name], frm, where, order=order, limit=k), join_expl(ex, why)


def q_group(g, ctx, t):
    cats = cols_of(t, "C") + cols_of(t, "B")
    cats = [c for c in cats if c[2] == "C"]
    if not cats:
        return None
    cname, _, _, cinfo = g.pick(cats)
    for _ in range(4):
        np, a, frm, where, ex = filtered_source(g, ctx, t)
        if not where or (cname + " ") not in where:
            break
    else:
        return None
    c = a + cname
    nums = [n for n in cols_of(t, "N") if n[3]["agg"]]
    if nums and g.chance(0.4):
        nname, _, _, ninfo = g.pick(nums)
        d = g.pick([1, 2])
        q = g.pick(["What is the average %s of the %s for each %s?", "Show the average %s of %s per %s.",
                    "For each %s, what is the average %s of the %s?"])
        q = q % ((cinfo["w"], ninfo["w"], np) if q.startswith("For each") else (ninfo["w"], np, cinfo["w"]))
        cl = sel([c, "ROUND(AVG(%s%s), %d) AS avg_%s" % (a, nname, d, nname)], frm, where, group=c, order=c)
        return q, cl, join_expl(ex, "GROUP BY %s makes one group per %s and ROUND(AVG(...), %d) averages each group" % (c, cinfo["w"], d))
    alias = g.pick(["n", "total", t["name"]])
    q = g.pick(["How many %s are there for each %s?", "Count the %s per %s.", "Break down the %s by %s.",
                "Give me the number of %s for every %s."]) % (np, cinfo["w"])
    cl = sel([c, "COUNT(*) AS " + alias], frm, where, group=c, order=alias + " DESC")
    return q, cl, join_expl(ex, "GROUP BY puts the rows with the same %s together and COUNT(*) counts each group" % cinfo["w"])


def q_having(g, ctx, t):
    cats = cols_of(t, "C")
    if not cats:
        return None
    cname, _, _, info = g.pick(cats)
    n = g.pick([2, 3, 5, 10, 20])
    q = g.pick(["Which %s have more than %d %s?", "List the %s that have over %d %s.",
                "Show every %s with more than %d %s."])
    q = q % ((info["w"], n, t["p"]) if q.startswith("Show") else (info["ws"], n, t["p"]))
    return q, sel([cname, "COUNT(*) AS n"], t["name"], group=cname, having="COUNT(*) > %d" % n), \
        "HAVING filters the groups after GROUP BY has counted them, so only %s with more than %d rows stay." % (info["ws"], n)


def q_distinct(g, ctx, t):
    cats = cols_of(t, "C")
    if not cats:
        return None
    cname, _, _, info = g.pick(cats)
    q = g.pick(["What different %s are there among the %s?", "List the distinct %s of the %s.", "Which %s appear in the %s table?",
                "Show each %s that the %s have, without repeats."])
    q = q % ((info["w"], t["p"]) if "each" in q else (info["ws"], t["p"]))
    return q, sel([cname], t["name"], order=cname, distinct=True), "DISTINCT removes repeated values, and ORDER BY sorts the list."


def q_above_avg(g, ctx, t):
    nums = [n for n in cols_of(t, "N") if n[3]["agg"]]
    if not nums:
        return None
    name, _, _, info = g.pick(nums)
    if g.chance(0.5):
        q = g.pick(["Which %s have a %s above the average?", "List the %s whose %s is higher than average.",
                    "Find %s with an above-average %s."]) % (t["p"], info["w"])
        op, word = ">", "above"
    else:
        q = g.pick(["Which %s have a %s below the average?", "List the %s whose %s is lower than average."]) % (t["p"], info["w"])
        op, word = "<", "below"
    return q, sel(show_cols(t) + [name], t["name"], "%s %s (SELECT AVG(%s) FROM %s)" % (name, op, name, t["name"]),
                  order=name + (" DESC" if op == ">" else "")), \
        "The subquery works out the average %s first, and WHERE keeps the rows %s it." % (info["w"], word)


def q_extreme(g, ctx, t):
    nums = cols_of(t, "N")
    if not nums:
        return None
    name, _, _, info = g.pick(nums)
    hi = g.chance(0.6)
    word = "highest" if hi else "lowest"
    q = g.pick(["Which %s has the %s %s?", "Find the %s with the %s %s.", "What is the %s with the %s %s?"]) % (t["s"], word, info["w"])
    if g.chance(0.5):
        return q, sel(show_cols(t) + [name], t["name"], order=name + (" DESC" if hi else ""), limit=1), \
            "ORDER BY sorts by %s%s and LIMIT 1 keeps only the top row." % (name, " from high to low" if hi else "")
    agg = "MAX" if hi else "MIN"
    return q, sel(show_cols(t) + [name], t["name"], "%s = (SELECT %s(%s) FROM %s)" % (name, agg, name, t["name"])), \
        "The subquery finds the %s %s, and WHERE returns every row that has it, ties included." % (word, info["w"])


def q_recent(g, ctx, t):
    d = main_date(t)
    if not d:
        return None
    k = g.pick([1, 3, 5, 10])
    if g.chance(0.65):
        if k == 1:
            q = g.pick(["What is the most recent %s?", "Show the latest %s.", "Which %s is the newest?"]) % t["s"]
        else:
            q = g.pick(["Show the %s most recent %s.", "List the latest %s %s.", "What are the %s newest %s?"]) % (kword(g, k), t["p"])
        order, why = d[0] + " DESC", "ORDER BY %s DESC puts the newest first" % d[0]
    else:
        if k == 1:
            q = g.pick(["What is the oldest %s?", "Show the earliest %s.", "Which %s came first?"]) % t["s"]
        else:
            q = g.pick(["Show the %s oldest %s.", "List the first %s %s ever recorded."]) % (kword(g, k), t["p"])
        order, why = d[0], "ORDER BY %s sorts from oldest to newest" % d[0]
    cols = show_cols(t)
    if d[0] not in cols:
        cols.append(d[0])
    return q, sel(cols, t["name"], order=order, limit=k), "%s, and LIMIT %d keeps the first %s." % (
        cap(why), k, "row" if k == 1 else "%d rows" % k)


def q_month(g, ctx, t):
    ds = [c for c in cols_of(t, "D") if c[3]["main"]]
    if not ds:
        return None
    name, _, _, info = ds[0]
    y = g.randint(2021, 2025)
    nums = [n for n in cols_of(t, "N") if n[3]["agg"]]
    by_year = g.chance(0.25)
    if by_year:
        grp, galias, unit = "strftime('%%Y', %s)" % name, "year", "year"
        where = None
        per = g.pick(["each year", "per year", "year by year"])
    else:
        grp, galias, unit = "strftime('%%Y-%%m', %s)" % name, "month", "month"
        where = g.pick(["strftime('%%Y', %s) = '%d'" % (name, y), "%s >= '%d-01-01' AND %s < '%d-01-01'" % (name, y, name, y + 1)]) \
            if g.chance(0.6) else None
        per = g.pick(["each month", "per month", "month by month"]) + (" in %d" % y if where else "")
    if nums and g.chance(0.4):
        nname, _, _, ninfo = g.pick(nums)
        q = g.pick(["What is the total %s of the %s %s?", "Sum the %s of %s %s."]) % (ninfo["w"], info["np"], per)
        cols = [grp + " AS " + galias, "SUM(%s) AS total_%s" % (nname, nname)]
        why = "strftime gives the %s of each date, GROUP BY makes one row per %s and SUM adds up the %s." % (unit, unit, ninfo["w"])
    else:
        q = g.pick(["How many %s were there %s?", "Count the %s %s.", "Show the number of %s %s."]) % (info["np"], per)
        if q.startswith("How many") and by_year:
            q = "How many %s were there in each year?" % info["np"]
        cols = [grp + " AS " + galias, "COUNT(*) AS n"]
        why = "strftime gives the %s of each date, and GROUP BY %s counts the rows for each one." % (unit, galias)
    return q, sel(cols, t["name"], where, group=galias, order=galias), why


def q_custom(g, ctx, t):
    if not t["custom"]:
        return None
    qs, sql, ex = g.pick(t["custom"])
    return g.pick(qs), [sql.rstrip(";")], ex


# --- questions across two or three tables ---------------------------------

def pick_link(g, ctx, need_label=True):
    ls = [x for x in ctx.links() if label(x[2]) or not need_label]
    return g.pick(ls) if ls else None


def q_join_list(g, ctx, t):
    lk = pick_link(g, ctx)
    if not lk:
        return None
    ch, fk, par = lk
    fname, ftyp, _, finfo = fk
    ctx.taken = []
    ca = ctx.alias(ch, ctx.taken)
    pa = ctx.alias(par, ctx.taken)
    plab = label(par)
    left = "NOT NULL" not in ftyp
    frm = ["FROM %s %s" % (ch["name"], ca), "%sJOIN %s %s ON %s.id = %s.%s" % ("LEFT " if left else "", par["name"], pa, pa, ca, fname)]
    where, ex = None, None
    np = None
    if g.chance(0.4):
        np, cond, ex, joins = one_filter(g, ctx, ch, ca + ".", allow_join=False)
        where = cond
    lw, role = plab[3]["w"], finfo["role"]
    if np:
        q = g.pick(["List the %s, with the %s's %s for each.", "Show the %s together with their %s's %s.",
                    "For the %s, show the %s %s too."]) % (np, role, lw)
    else:
        q = g.pick(["List each %s with the %s of its %s.", "Show every %s together with its %s's %s.",
                    "For every %s, give the %s's %s.", "I want to see all %s and the %s of their %s."])
        if q.startswith("I want"):
            q = q % (ch["p"], lw, finfo["roles"])
        elif "the %s of its" in q:
            q = q % (ch["s"], lw, role)
        else:
            q = q % (ch["s"], role, lw)
    cols = show_cols(ch, ca + ".") + ["%s.%s AS %s" % (pa, plab[0], role.replace(" ", "_") + "_" + plab[0])]
    why = "The LEFT JOIN keeps %s that have no %s, showing NULL instead" % (ch["p"], role) if left else \
        "JOIN matches each %s to the %s whose id is in %s" % (ch["s"], role, fname)
    return q, sel(cols, frm, where), join_expl(ex, why)


def q_per_parent(g, ctx, t):
    lk = pick_link(g, ctx)
    if not lk:
        return None
    ch, fk, par = lk
    fname, _, _, finfo = fk
    ctx.taken = []
    ca = ctx.alias(ch, ctx.taken)
    pa = ctx.alias(par, ctx.taken)
    plab = pa + "." + label(par)[0]
    role, roles, cp = finfo["role"], finfo["roles"], ch["p"]
    alias = ch["name"] if ch["name"] != par["name"] else "n"
    k = g.r.randrange(6)
    nums = [n for n in cols_of(ch, "N") if n[3]["agg"]]
    if k == 0:   # count per parent, zeros included
        q = g.pick(["How many %s does each %s have?", "Count the %s for each %s.", "For each %s, how many %s are there?",
                    "Show every %s with its number of %s."])
        q = q % ((cp, role) if q.startswith(("How", "Count")) else (role, cp))
        return q, sel([plab, "COUNT(%s.id) AS %s" % (ca, alias)], ["FROM %s %s" % (par["name"], pa),
                      "LEFT JOIN %s %s ON %s.%s = %s.id" % (ch["name"], ca, ca, fname, pa)], group=pa + ".id", order=alias + " DESC"), \
            "The LEFT JOIN keeps %s with no %s, and COUNT(%s.id) gives them 0." % (roles, cp, ca)
    if k == 1:   # top parent(s)
        n = g.pick([1, 1, 3, 5])
        if n == 1:
            q = g.pick(["Which %s has the most %s?", "Which %s has the largest number of %s?", "Who or what is the %s with the most %s?"])
            q = q % (role, cp) if not q.startswith("Who") else "Which %s has the most %s?" % (role, cp)
        else:
            q = g.pick(["Which %s %s have the most %s?", "List the top %s %s by number of %s."]) % (kword(g, n), roles, cp)
        return q, sel([plab, "COUNT(*) AS " + alias], ["FROM %s %s" % (ch["name"], ca), "JOIN %s %s ON %s.id = %s.%s" % (
            par["name"], pa, pa, ca, fname)], group=pa + ".id", order=alias + " DESC", limit=n), \
            "GROUP BY counts the %s per %s, and ORDER BY ... DESC LIMIT %d keeps the busiest." % (cp, role, n)
    if k == 2:   # HAVING
        n = g.pick([2, 3, 5, 10])
        atl = g.chance(0.4)
        q = g.pick(["Which %s have %s %d %s?", "List the %s with %s %d %s."]) % (roles, "at least" if atl else "more than", n, cp)
        return q, sel([plab, "COUNT(*) AS " + alias], ["FROM %s %s" % (ch["name"], ca), "JOIN %s %s ON %s.id = %s.%s" % (
            par["name"], pa, pa, ca, fname)], group=pa + ".id", having="COUNT(*) %s %d" % (">=" if atl else ">", n)), \
            "HAVING is checked after grouping, so it can test the count of %s for each %s." % (cp, role)
    if k == 3:   # none
        qs = finfo["none"] or ["Which %s have no %s?" % (roles, cp), "List the %s without any %s." % (roles, cp)]
        q = g.pick(qs)
        form = g.r.randrange(3)
        nullable = "NOT NULL" not in fk[1]
        if form == 0:
            return q, sel([plab], ["FROM %s %s" % (par["name"], pa), "LEFT JOIN %s %s ON %s.%s = %s.id" % (
                ch["name"], ca, ca, fname, pa)], "%s.id IS NULL" % ca), \
                "The LEFT JOIN leaves the %s columns NULL when there is no match, and WHERE keeps only those rows." % ch["s"]
        if form == 1:
            sub = "SELECT %s FROM %s" % (fname, ch["name"]) + (" WHERE %s IS NOT NULL" % fname if nullable else "")
            return q, sel([label(par)[0]], par["name"], "id NOT IN (%s)" % sub), \
                "The subquery lists every %s id used in %s, and NOT IN keeps the others%s." % (
                    role, ch["name"], " (the IS NOT NULL matters, because NOT IN with a NULL matches nothing)" if nullable else "")
        return q, sel([label(par)[0]], par["name"], "NOT EXISTS (SELECT 1 FROM %s WHERE %s.%s = %s.id)" % (
            ch["name"], ch["name"], fname, par["name"])), \
            "NOT EXISTS is true when the subquery finds no %s for that %s." % (ch["s"], role)
    if k == 4 and nums:   # sum / avg per parent
        nname, _, _, ninfo = g.pick(nums)
        frm = ["FROM %s %s" % (ch["name"], ca), "JOIN %s %s ON %s.id = %s.%s" % (par["name"], pa, pa, ca, fname)]
        r = g.r.randrange(3)
        if r == 0:
            q = g.pick(["What is the total %s of the %s for each %s?", "Add up the %s of the %s per %s."]) % (ninfo["w"], cp, role)
            return q, sel([plab, "SUM(%s.%s) AS total_%s" % (ca, nname, nname)], frm, group=pa + ".id", order="total_%s DESC" % nname), \
                "SUM adds up the %s within each %s's group." % (ninfo["w"], role)
        if r == 1:
            q = g.pick(["Which %s has the highest total %s?", "Which %s's %s add up to the most %s?"])
            q = q % (role, ninfo["w"]) if q.count("%s") == 2 else "Which %s has the largest total %s across its %s?" % (role, ninfo["w"], cp)
            return q, sel([plab, "SUM(%s.%s) AS total_%s" % (ca, nname, nname)], frm, group=pa + ".id",
                          order="total_%s DESC" % nname, limit=1), \
                "The totals are worked out per %s, then sorted from high to low with only the first kept." % role
        q = g.pick(["What is the average %s of the %s for each %s, rounded to one decimal?", "Show the average %s per %s."])
        q = q % (ninfo["w"], cp, role) if q.count("%s") == 3 else q % (ninfo["w"], role)
        return q, sel([plab, "ROUND(AVG(%s.%s), 1) AS avg_%s" % (ca, nname, nname)], frm, group=pa + ".id", order=plab), \
            "AVG is worked out per %s, and ROUND(..., 1) keeps one decimal." % role
    # k == 5: group children by a category of the parent
    cats = cols_of(par, "C")
    if not cats:
        return None
    cname, _, _, cinfo = g.pick(cats)
    q = g.pick(["How many %s are there for each %s %s?", "Count the %s per %s %s.", "Break down the %s by %s %s."]) % (cp, role, cinfo["w"])
    return q, sel(["%s.%s" % (pa, cname), "COUNT(*) AS " + alias], ["FROM %s %s" % (ch["name"], ca), "JOIN %s %s ON %s.id = %s.%s" % (
        par["name"], pa, pa, ca, fname)], group="%s.%s" % (pa, cname), order=alias + " DESC"), \
        "The JOIN gives each %s its %s's %s, and GROUP BY counts them." % (ch["s"], role, cinfo["w"])


def q_three(g, ctx, t):
    """A table with two foreign keys inside the prompt, or a chain of two."""
    pairs, chains = [], []
    for ch in ctx.tables:
        fks = [c for c in cols_of(ch, "F") if ctx.get(c[3]["to"])]
        for i in range(len(fks)):
            for j in range(len(fks)):
                if i != j and label(ctx.get(fks[i][3]["to"])) and label(ctx.get(fks[j][3]["to"])):
                    pairs.append((ch, fks[i], fks[j]))
        for f1 in fks:
            p1 = ctx.get(f1[3]["to"])
            for f2 in cols_of(p1, "F"):
                if ctx.get(f2[3]["to"]) and label(ctx.get(f2[3]["to"])) and f2[3]["to"] != ch["name"]:
                    chains.append((ch, f1, p1, f2))
    if not pairs and not chains:
        return None
    ctx.taken = []
    if pairs and (not chains or g.chance(0.6)):
        ch, f1, f2 = g.pick(pairs)
        p1, p2 = ctx.get(f1[3]["to"]), ctx.get(f2[3]["to"])
        ca = ctx.alias(ch, ctx.taken)
        a1 = ctx.alias(p1, ctx.taken)
        a2 = ctx.alias(p2, ctx.taken)
        r1, r2 = f1[3]["role"], f2[3]["role"]
        j1 = "%sJOIN %s %s ON %s.id = %s.%s" % ("" if "NOT NULL" in f1[1] else "LEFT ", p1["name"], a1, a1, ca, f1[0])
        j2 = "%sJOIN %s %s ON %s.id = %s.%s" % ("" if "NOT NULL" in f2[1] else "LEFT ", p2["name"], a2, a2, ca, f2[0])
        if g.chance(0.5):
            np, cond, ex, _ = one_filter(g, ctx, p1, a1 + ".", allow_join=False)
            q = g.pick(["Which %s have %s %s %s?", "List the %s that have %s %s %s.", "Find the %s with %s %s %s."]) % (
                f2[3]["roles"], ch["p"], f1[3]["prep"], np)
            return q, sel(["%s.%s" % (a2, label(p2)[0])], ["FROM %s %s" % (ch["name"], ca), j1, j2], cond, distinct=True,
                          order="%s.%s" % (a2, label(p2)[0])), \
                "The two JOINs link %s to both tables, %s, and DISTINCT lists each %s once." % (ch["p"], ex, r2)
        q = g.pick(["List each %s with the %s's %s and the %s's %s.", "Show all %s, with the %s %s and the %s %s."])
        q = q % (ch["s"] if q.startswith("List") else ch["p"], r1, label(p1)[3]["w"], r2, label(p2)[3]["w"])
        cols = show_cols(ch, ca + ".") + ["%s.%s AS %s" % (a1, label(p1)[0], r1.replace(" ", "_") + "_" + label(p1)[0]),
                                          "%s.%s AS %s" % (a2, label(p2)[0], r2.replace(" ", "_") + "_" + label(p2)[0])]
        return q, sel(cols, ["FROM %s %s" % (ch["name"], ca), j1, j2]), \
            "Each JOIN looks up one of the two ids in %s, and AS gives the columns clear names." % ch["name"]
    ch, f1, p1, f2 = g.pick(chains)
    gp = ctx.get(f2[3]["to"])
    ca = ctx.alias(ch, ctx.taken)
    a1 = ctx.alias(p1, ctx.taken)
    a2 = ctx.alias(gp, ctx.taken)
    frm = ["FROM %s %s" % (ch["name"], ca), "JOIN %s %s ON %s.id = %s.%s" % (p1["name"], a1, a1, ca, f1[0]),
           "JOIN %s %s ON %s.id = %s.%s" % (gp["name"], a2, a2, a1, f2[0])]
    glab = "%s.%s" % (a2, label(gp)[0])
    r2 = f2[3]["role"]
    nums = [n for n in cols_of(ch, "N") if n[3]["agg"]]
    if nums and g.chance(0.5):
        nname, _, _, ninfo = g.pick(nums)
        q = g.pick(["What is the total %s of %s for each %s?", "Add up the %s of the %s per %s."]) % (ninfo["w"], ch["p"], r2)
        return q, sel([glab, "SUM(%s.%s) AS total_%s" % (ca, nname, nname)], frm, group=a2 + ".id", order="total_%s DESC" % nname), \
            "%s point to %s, which point to %s, so two JOINs reach the %s before SUM adds up each group." % (
                cap(ch["name"]), p1["name"], gp["name"], r2)
    q = g.pick(["How many %s are there for each %s?", "Count the %s per %s.", "For each %s, how many %s are there?"])
    q = q % ((r2, ch["p"]) if q.startswith("For") else (ch["p"], r2))
    return q, sel([glab, "COUNT(*) AS n"], frm, group=a2 + ".id", order="n DESC"), \
        "Each %s only holds %s id, so the query goes through %s to reach the %s, then GROUP BY counts." % (
            ch["s"], an(f1[0][:-3]), p1["name"], r2)


SINGLE = [(q_count, 5), (q_list, 5), (q_agg, 4), (q_top, 3), (q_group, 3), (q_having, 1), (q_distinct, 1),
          (q_above_avg, 1), (q_extreme, 2), (q_recent, 2), (q_month, 2), (q_custom, 1)]
MULTI = [(q_join_list, 3), (q_per_parent, 7), (q_three, 3)]


def one_question(g, ctx):
    for _ in range(20):
        if ctx.links() and g.chance(0.45):
            f = pick_weighted(g, MULTI)
        else:
            f = pick_weighted(g, SINGLE)
        t = g.pick(ctx.tables)
        r = f(g, ctx, t)
        if r:
            return r
    return q_count(g, ctx, ctx.tables[0])


# ---------------------------------------------------------------------------
# The chat
# ---------------------------------------------------------------------------

def pick_tables(g, tabs):
    names = [t["name"] for t in tabs]
    k = g.randint(min(2, len(tabs)), len(tabs))
    want = g.sample(names, k)
    changed = True
    while changed:   # keep every table a foreign key points at
        changed = False
        for t in tabs:
            if t["name"] in want:
                for c in cols_of(t, "F"):
                    if c[3]["to"] not in want:
                        want.append(c[3]["to"])
                        changed = True
    return [t for t in tabs if t["name"] in want]


def schema_text(tables):
    return "\n".join(create_table(t) for t in tables)


def sql_chat(g):
    dom, tabs = g.pick(DOMAINS)
    tables = pick_tables(g, tabs)
    ctx = Ctx(tables)
    ctx.taken = []
    ending = g.pick(SYSTEM_ENDINGS)
    system = SYSTEM_HEAD + schema_text(tables) + ("\n" + ending if ending else "")
    turns = [("system", system)]
    seen = []
    npairs = g.pick([1, 1, 2, 2, 3, 4])
    for i in range(npairs):
        for _ in range(5):
            q, clauses, ex = one_question(g, ctx)
            if q not in seen:
                break
        else:
            continue
        seen.append(q)
        if i > 0 and g.chance(0.2):
            q = g.pick(["And ", "Also, ", "Next: ", "One more: "]) + lower_first(q)
        elif g.chance(0.08):
            q = g.pick(["Quick question: ", "Please help: "]) + lower_first(q) if g.chance(0.6) else g.pick(["Hi! ", "Hello. "]) + q
        sql = fmt_sql(g, clauses)
        turns.append(("user", q))
        turns.append(("assistant", g.pick(LEADS) + "\n\n" + sql + "\n\n" + ex))
    return turns


# ---------------------------------------------------------------------------
# Self-checks
# ---------------------------------------------------------------------------

if __name__ == "__main__":
    import random
    import re
    import sqlite3
    import statistics

    from corpus_gen import Gen

    def run(seed, n):
        g = Gen(seed)
        return [sql_chat(g) for _ in range(n)]

    # 1. every query is valid for its own schema
    for chat in run(1, 3000):
        role, system = chat[0]
        assert role == "system" and system.startswith(SYSTEM_HEAD)
        body = system[len(SYSTEM_HEAD):]
        schema = body[:body.rindex(");") + 2]
        db = sqlite3.connect(":memory:")
        db.executescript(schema)
        assert 2 <= schema.count("CREATE TABLE") <= 5, schema
        assert 3 <= len(chat) <= 9 and len(chat) % 2 == 1
        for role, text in chat[1:]:
            if role == "assistant":
                parts = text.split("\n\n")
                assert len(parts) == 3, text
                lead, sql, ex = parts
                assert not lead.startswith("SELECT") and sql.startswith("SELECT") and sql.endswith(";"), text
                try:
                    db.execute("EXPLAIN " + sql)
                except sqlite3.Error as e:
                    raise SystemExit("bad query: %s\n%s\n%s" % (e, sql, schema))
        db.close()
    print("3000 chats: every query passes EXPLAIN")

    # 2. same seed, same text
    assert run(7, 500) == run(7, 500)
    print("same seed gives identical output")

    # 3. nothing from the fine-tuning dataset's schema
    forbidden = re.compile(r"\b(stations|bikes|members|rides|repairs)\b", re.I)
    for chat in run(3, 20000):
        for role, text in chat:
            assert not forbidden.search(text), text
            assert "Answer with a single SQL query and nothing else." not in text
    print("20000 chats: no forbidden table names or ending line")

    # 4. variety and sizes
    chats = run(11, 10000)
    questions = set()
    for chat in chats:
        for role, text in chat:
            if role == "user":
                questions.add(text)
    print("distinct questions in 10000 chats:", len(questions))
    print("median system prompt length:", statistics.median(len(c[0][1]) for c in chats))
    print("domains:", len(DOMAINS))
    for chat in run(5, 3):
        print("=" * 60)
        for role, text in chat:
            print("[%s]\n%s" % (role, text))
