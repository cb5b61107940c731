# SPDX-License-Identifier: GPL-3.0-or-later
#
# corpus_food.py: food-business writing and cooking chats for the pretraining
# corpus of Whetstone's built-in demo model.  It teaches the vocabulary and the
# kinds of request of the food sample datasets (captions, announcements,
# customer replies, menu text; cooking questions) in several voices (plain,
# warm, enthusiastic, formal) for invented shops, so that fine-tuning on the
# samples only has to pick one shop's voice.  Every
# template and word list here was written for Whetstone; there is no
# third-party text.  All randomness goes through the caller's Gen (g), so the
# same seed gives the same text.

from corpus_gen import an, cap, join_list

# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def price(g, lo, hi):
    """A price between lo and hi pounds, in steps of 10p: '3.40'."""
    return "%.2f" % (g.randint(lo * 10, hi * 10) / 10.0)


# ---------------------------------------------------------------------------
# Shops and products
# ---------------------------------------------------------------------------

# code, what we call it in a sentence, the word in its name, the staff who make things
SHOP_KINDS = [
    ("B", "bakery", "Bakery", "bakers"),
    ("C", "cafe", "Cafe", "kitchen team"),
    ("D", "deli", "Deli", "kitchen team"),
    ("Q", "cheese shop", "Cheese Shop", "team"),
    ("M", "market stall", "Market Stall", "team"),
    ("P", "pizzeria", "Pizzeria", "chefs"),
    ("T", "tea room", "Tea Room", "kitchen team"),
    ("U", "butcher's shop", "Butchers", "butchers"),
    ("G", "greengrocer's", "Greengrocer", "team"),
]
SHOP_WEIGHTS = "BBBBBCCCDDQMMPPTTUG"

NAME_PARTS = """Old Mill|Corner|Green Door|Harbour|Oak Street|Church Lane|Riverside|Market Hill|Willow
|Copper Kettle|Bluebell|Red Brick|Station Road|Northgate|Sunrise|Hilltop|Brookside|Foxglove|Juniper
|Saltmarsh|Elm Tree|Cobble Street|Golden Wheat|Two Bridges|Meadow|Orchard|Blue Door|Hazel|Stonegate
|Little Acre|Wheatfield|Bramble|Kingfisher|Lighthouse|Thistle|Fernhill|Ashby|Mulberry|Poppy""".replace("\n", "").split("|")

STREETS = """High Street|Mill Road|Church Street|Station Road|Market Square|Bridge Street|Orchard Lane
|Harbour Road|Park Avenue|Victoria Street|Queen Street|Chapel Lane|West Street|Garden Row|Castle Hill
|King Street|Water Lane|North Parade|Albert Road|Green Lane""".replace("\n", "").split("|")

STAFF_NAMES = """Anna Ben Chloe Daniel Elena Farid Grace Hugo Isla Jamal Kate Leon Maria Nadia Oliver
Priti Rosa Sam Tomas Yusuf Zoe Ruth Marco Helen Ade Lucy Kwame Ines Paul Mei""".split()

MONTHS = "January February March April May June July August September October November December".split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
SEASONS = ["spring", "summer", "autumn", "winter"]

# name | s(ingular) or p(lural) | four adjectives | what it is (after "is"/"are") |
# how to enjoy it (after "is"/"are") | kind | shops that sell it | allergens
ITEMS_TEXT = """
rye bread|s|dark,tangy,dense,hearty|made with rye flour and caraway seeds|good with cheese or smoked fish|bake|BMD|gluten
sourdough loaf|s|crusty,tangy,chewy,golden|made with our own starter and a long overnight rise|good with butter or a bowl of soup|bake|BMC|gluten
seeded loaf|s|nutty,crunchy,soft,hearty|made with sunflower, pumpkin and sesame seeds|good toasted for breakfast|bake|BM|gluten,sesame
white sandwich loaf|s|soft,light,fluffy,mild|made with milk and a little butter|good for sandwiches and toast|bake|B|gluten,milk
baguettes|p|crisp,light,crusty,golden|made with flour, water, salt and yeast and nothing else|best eaten on the day they are baked|bake|BD|gluten
focaccia|s|golden,soft,airy,fragrant|made with olive oil, rosemary and sea salt|good with soup or a fresh salad|bake|BPDC|gluten
brioche buns|p|soft,rich,golden,buttery|made with butter, eggs and a little sugar|good for burgers or simply with jam|bake|B|gluten,milk,eggs
spelt bread|s|nutty,mild,soft,wholesome|made with stoneground spelt flour|good with honey or a mild cheese|bake|BM|gluten
wholemeal loaf|s|nutty,hearty,soft,wholesome|made with wholemeal flour and a spoonful of honey|good toasted with butter|bake|B|gluten
ciabatta|s|airy,chewy,crusty,light|made with a wet dough and plenty of olive oil|good for big sandwiches|bake|BD|gluten
bagels|p|chewy,glossy,dense,golden|boiled for a minute before they are baked|good with cream cheese|bake|BC|gluten
pretzels|p|salty,chewy,glossy,dark|dipped in a baking soda bath and sprinkled with coarse salt|good with mustard|bake|BM|gluten
croissants|p|flaky,buttery,crisp,golden|made with layers of butter folded into the dough over three days|best warm with a cup of coffee|bake|BCT|gluten,milk,eggs
almond croissants|p|sweet,nutty,flaky,rich|filled with almond cream and topped with toasted almonds|good with a mid-morning coffee|bake|BC|gluten,milk,eggs,nuts
cinnamon buns|p|sticky,sweet,soft,spiced|rolled with cinnamon, brown sugar and butter|best eaten warm|bake|BC|gluten,milk,eggs
cardamom buns|p|fragrant,soft,sweet,spiced|made with freshly ground cardamom and finished with a sugar glaze|good with black coffee|bake|BC|gluten,milk,eggs
scones|p|light,crumbly,soft,golden|made with buttermilk and cold butter|good with jam and clotted cream|bake|BTC|gluten,milk,eggs
cheese scones|p|savoury,crumbly,golden,warm|made with mature cheddar and a pinch of mustard|good with a bowl of soup|bake|BT|gluten,milk,eggs,mustard
blueberry muffins|p|moist,fruity,light,sweet|made with fresh blueberries and lemon zest|good with a morning coffee|bake|CB|gluten,milk,eggs
banana bread|s|moist,sweet,soft,dense|made with ripe bananas and a little brown sugar|good toasted with butter|bake|CBT|gluten,milk,eggs
carrot cake|s|moist,spiced,soft,rich|made with grated carrot and walnuts and topped with cream cheese frosting|good with a pot of tea|bake|CTB|gluten,milk,eggs,nuts
lemon drizzle cake|s|zesty,moist,sweet,light|soaked with fresh lemon juice and finished with a crunchy sugar topping|good with a cup of tea|bake|TCB|gluten,milk,eggs
chocolate cake|s|rich,dark,moist,fudgy|made with dark chocolate and cocoa|good with a spoonful of cream|bake|BCT|gluten,milk,eggs
Victoria sponge|s|light,soft,sweet,fluffy|filled with raspberry jam and whipped cream|good with afternoon tea|bake|TB|gluten,milk,eggs
lemon tart|s|sharp,smooth,sweet,zesty|made with a crisp pastry case and a silky lemon filling|good after lunch with an espresso|bake|BT|gluten,milk,eggs
apple pie|s|warm,spiced,sweet,flaky|filled with sliced apples and cinnamon|good with custard or cream|bake|BTM|gluten,milk
brownies|p|fudgy,rich,dark,chewy|made with dark chocolate and a little sea salt|good with a glass of cold milk|bake|BC|gluten,milk,eggs
shortbread|s|crumbly,buttery,sweet,crisp|made with just butter, sugar and flour|good with a cup of tea|bake|BT|gluten,milk
chocolate chip cookies|p|chewy,sweet,golden,crisp|made with brown sugar and chunks of dark chocolate|good with a glass of milk|bake|BC|gluten,milk,eggs
eclairs|p|light,creamy,glossy,sweet|made with choux pastry, vanilla cream and a chocolate glaze|good with afternoon tea|bake|TB|gluten,milk,eggs
fruit tart|s|fresh,fruity,crisp,sweet|filled with vanilla custard and topped with seasonal fruit|good for a special lunch|bake|TB|gluten,milk,eggs
sausage rolls|p|flaky,savoury,golden,peppery|made with puff pastry and outdoor-reared pork|good warm for lunch|bake|BUD|gluten,milk,eggs
leek and cheese quiche|s|savoury,creamy,golden,rich|made with eggs, cream, leeks and mature cheddar|good with a green salad|bake|CDB|gluten,milk,eggs
flat white|s|smooth,creamy,strong,rich|made with a double shot of espresso and steamed milk|good with a pastry|drink|C|milk
latte|s|smooth,creamy,mild,warm|made with espresso and plenty of steamed milk|good with a slice of cake|drink|CT|milk
hot chocolate|s|rich,creamy,sweet,warm|made with real chocolate and steamed milk|good on a cold afternoon|drink|CT|milk
chai latte|s|spiced,sweet,warm,creamy|made with black tea, cinnamon, ginger and cardamom|good with a cinnamon bun|drink|CT|milk
cold brew coffee|s|smooth,cool,mellow,refreshing|steeped in cold water for eighteen hours|good on a warm day|drink|C|none
Earl Grey tea|s|fragrant,light,delicate,citrusy|made with black tea and bergamot|good with a scone|drink|T|none
fresh orange juice|s|fresh,sweet,zesty,bright|squeezed to order|good with breakfast|drink|CT|none
tomato soup|s|warm,rich,smooth,hearty|made with roasted tomatoes, garlic and basil|good with a slice of sourdough|dish|CTD|celery
ham and cheese toastie|s|crisp,warm,savoury,melting|made with ham, mature cheddar and sourdough bread|good with a cup of soup|dish|C|gluten,milk
Margherita pizza|s|crisp,light,fresh,simple|topped with tomato, mozzarella and fresh basil|good with a green salad|dish|P|gluten,milk
mushroom pizza|s|earthy,savoury,crisp,rich|topped with roasted mushrooms, garlic and thyme|good with a glass of red wine|dish|P|gluten,milk
pepperoni pizza|s|savoury,crisp,spicy,rich|topped with pepperoni, mozzarella and oregano|good for sharing|dish|P|gluten,milk
garlic bread|s|buttery,crisp,warm,fragrant|made with fresh garlic, butter and parsley|good with any pizza|dish|PC|gluten,milk
lasagne|s|rich,hearty,creamy,savoury|made with slow-cooked beef ragu and a creamy sauce|good with a side salad|dish|PD|gluten,milk,eggs,celery
aged cheddar|s|sharp,crumbly,nutty,rich|aged for eighteen months|good with an apple and some crackers|cheese|QDM|milk
brie|s|creamy,mild,soft,buttery|made with milk from a farm nearby|good with crusty bread and grapes|cheese|QD|milk
blue cheese|s|bold,creamy,salty,sharp|aged in a cool cellar for three months|good with pears and walnuts|cheese|Q|milk
goat's cheese|s|fresh,tangy,light,creamy|made in small batches on a family farm|good in a salad with beetroot|cheese|QM|milk
smoked salmon|s|smoky,delicate,rich,tender|cured with salt and smoked over oak|good on rye bread with lemon|deli|D|fish
marinated olives|p|salty,fruity,firm,bright|marinated with garlic, lemon and herbs|good with a glass of wine|deli|DM|none
hummus|s|smooth,creamy,nutty,fresh|made with chickpeas, tahini and lemon|good with warm flatbread|deli|DCM|sesame
pork sausages|p|juicy,savoury,peppery,herby|made with outdoor-reared pork, sage and black pepper|good with mash and onion gravy|meat|UM|gluten,sulphites
beef burgers|p|juicy,rich,savoury,hearty|made with minced beef chuck and a little seasoning|good on a brioche bun|meat|U|none
free-range chickens|p|tender,juicy,golden,plump|raised on a farm a few miles away|good for a Sunday roast|meat|U|none
lamb chops|p|tender,rich,juicy,savoury|cut to order from local lamb|good with rosemary and garlic|meat|U|none
strawberries|p|sweet,juicy,ripe,fragrant|picked ripe on a farm nearby|good with cream or on their own|produce|GM|none
tomatoes|p|ripe,sweet,juicy,bright|grown in a greenhouse just outside town|good in a salad with olive oil|produce|GM|none
apples|p|crisp,sweet,juicy,sharp|picked from an orchard down the road|good for eating or baking|produce|GM|none
asparagus|s|tender,fresh,green,sweet|cut early every morning during the short season|good with butter or a poached egg|produce|GM|none
new potatoes|p|waxy,earthy,tender,buttery|dug this week on a local farm|good boiled with butter and mint|produce|GM|none
strawberry jam|s|sweet,fruity,bright,smooth|made in small batches with fruit and sugar|good on warm scones|preserve|MDT|none
local honey|s|golden,floral,sweet,thick|collected from hives a few miles away|good on toast or in tea|preserve|MDG|none
"""


class Item:
    def __init__(self, line):
        f = line.split("|")
        self.name = f[0]
        self.plural = f[1] == "p"
        self.adjs = f[2].split(",")
        self.what = f[3]
        self.enjoy = f[4]
        self.kind = f[5]
        self.shops = f[6]
        self.allergens = [] if f[7] == "none" else f[7].split(",")
        self.be = "are" if self.plural else "is"
        self.it = "they" if self.plural else "it"
        self.them = "them" if self.plural else "it"
        self.It_is = "They are" if self.plural else "It is"
        self.was = "were" if self.plural else "was"


ITEMS = [Item(line) for line in ITEMS_TEXT.strip().split("\n")]

SEASONAL = {
    "spring": ["hot cross buns", "rhubarb tart", "asparagus quiche", "lemon and poppy seed cake",
               "wild garlic focaccia", "spring onion scones"],
    "summer": ["strawberry tarts", "iced coffee", "elderflower lemonade", "tomato and basil focaccia",
               "raspberry scones", "cherry and almond cake"],
    "autumn": ["pumpkin loaf", "apple and blackberry crumble", "spiced pear cake", "mushroom soup",
               "chai lattes", "plum frangipane tart"],
    "winter": ["stollen", "mince pies", "gingerbread", "hot chocolate with cinnamon",
               "leek and potato soup", "orange and cranberry buns"],
}

CLOSE_REASONS = [
    ("for a family wedding", "a family wedding"),
    ("for the bank holiday", "the bank holiday"),
    ("for a public holiday", "a public holiday"),
    ("while our oven is being repaired", "oven repairs"),
    ("for staff training", "staff training"),
    ("while we repaint the shop", "repainting the shop"),
    ("for our yearly stocktake", "the yearly stocktake"),
    ("while new flooring is fitted", "new flooring"),
    ("to give our team a rest after a busy season", "a rest day for the team"),
    ("for a deep clean of the kitchen", "a kitchen deep clean"),
    ("because of a planned power cut in our street", "a planned power cut"),
    ("for a family funeral", "a family funeral"),
    ("while our new refrigerators are installed", "new fridges being installed"),
    ("because of roadworks outside the shop", "roadworks outside"),
]

OPEN_TIMES = {"P": ["12pm", "12pm", "5pm"], "T": ["10am", "9:30am", "11am"], "C": ["7:30am", "8am", "8:30am"],
              "B": ["7am", "7:30am", "8am"], "D": ["8am", "9am"], "Q": ["9am", "10am"], "M": ["8am", "9am"],
              "U": ["8am", "7:30am"], "G": ["8am", "8:30am"]}
CLOSE_TIMES = {"P": ["10pm", "10:30pm", "11pm"], "T": ["5pm", "4:30pm"], "C": ["4pm", "5pm", "3pm"],
               "B": ["3pm", "2pm", "4pm"], "D": ["6pm", "5:30pm"], "Q": ["5pm", "6pm"], "M": ["1pm", "2pm"],
               "U": ["5pm", "5:30pm"], "G": ["5pm", "6pm"]}
OPEN_DAYS = [("Tuesday to Sunday", "Mondays"), ("Monday to Saturday", "Sundays"),
             ("Wednesday to Sunday", "Mondays and Tuesdays"), ("Monday to Friday", "weekends"),
             ("Thursday to Sunday", "Monday to Wednesday"), ("Tuesday to Saturday", "Sundays and Mondays")]

ROLES = [  # role, what the job involves, usual hours, shops
    ("baker", "shaping and baking bread and pastries", ["Tuesday to Saturday, 5am to 1pm", "four early shifts a week, starting at 4am"], "B"),
    ("pastry chef", "making cakes, tarts and laminated pastry", ["Wednesday to Sunday, 6am to 2pm"], "BT"),
    ("barista", "making coffee and serving customers", ["Monday to Friday, 7am to 3pm", "three weekday mornings"], "CT"),
    ("weekend helper", "serving customers, packing orders and keeping the shop tidy", ["Saturdays and Sundays, 8am to 4pm", "Saturdays only, 8am to 2pm"], "BCDQMTUG"),
    ("counter assistant", "serving customers and helping with stock", ["four days a week, 8am to 4pm", "20 hours a week"], "BCDQUG"),
    ("kitchen assistant", "preparing ingredients, washing up and helping the cooks", ["Tuesday to Saturday, 9am to 3pm", "weekday lunchtimes"], "CDPT"),
    ("pizza chef", "stretching dough and running the oven", ["Wednesday to Sunday evenings, 5pm to 11pm"], "P"),
    ("delivery driver", "delivering morning orders to cafes and homes", ["weekday mornings, 5am to 9am"], "BG"),
    ("butcher's assistant", "preparing cuts, serving customers and keeping the counter clean", ["Tuesday to Saturday, 7am to 4pm"], "U"),
    ("market helper", "setting up the stall and serving customers", ["Saturday mornings, 6am to 2pm"], "MG"),
]

COMPLAINTS = [  # what they said, the problem as a noun phrase, past-tense description
    ("too sweet", "too sweet", "%s too sweet"),
    ("too salty", "too salty", "%s too salty"),
    ("too dry", "too dry", "%s dry"),
    ("bland", "not flavourful enough", "tasted bland"),
    ("burnt", "overbaked", "%s burnt"),
    ("stale", "not fresh", "%s stale"),
    ("too small for the price", "too small", "%s smaller than expected"),
]


def make_shop(g):
    code = g.pick(SHOP_WEIGHTS)
    for k in SHOP_KINDS:
        if k[0] == code:
            kind = k
    part = g.pick(NAME_PARTS)
    name = ("The " if g.chance(0.3) else "") + part + " " + kind[2]
    items = [it for it in ITEMS if code in it.shops]
    email = part.lower().replace(" ", "") + kind[2].lower().replace(" ", "") + g.pick([".com", ".co.uk", ".shop"])
    return {
        "code": code, "kind": kind[1], "name": name, "part": part, "word": kind[2], "staff": kind[3], "items": items,
        "street": g.pick(STREETS), "email": email,
        "open": g.pick(OPEN_TIMES[code]), "close": g.pick(CLOSE_TIMES[code]),
    }


def shop_intro(g, shop):
    """An optional first sentence for a request that says who is asking."""
    if not g.chance(0.3):
        return ""
    return g.pick([
        "I run a small %s called %s. " % (shop["kind"], shop["name"]),
        "We are %s, a %s on %s. " % (shop["name"], shop["kind"], shop["street"]),
        "I own a %s. " % shop["kind"],
        "I manage %s. " % shop["name"],
        "This is for our %s. " % shop["kind"],
        "We have a family %s. " % shop["kind"],
    ])


def next_day(day):
    return DAYS[(DAYS.index(day) + 1) % 7]


def avail_phrase(g, item):
    return g.pick({
        "bake": ["fresh out of the oven", "baked fresh every morning", "on the counter from opening time",
                 "ready on the shelves"],
        "drink": ["on the menu now", "ready to order at the counter", "available all day"],
        "dish": ["on the menu from today", "served every lunchtime", "ready to order now"],
        "cheese": ["on the counter now", "in the shop this week", "ready to cut to order"],
        "deli": ["in the deli counter now", "available this week", "ready to take home"],
        "meat": ["on the counter today", "ready to order", "in stock this week"],
        "produce": ["in stock today", "in the shop this week", "fresh in this morning"],
        "preserve": ["on the shelves now", "in stock this week", "back in stock"],
    }[item.kind])


def other_item(g, shop, item):
    others = [it for it in shop["items"] if it is not item]
    return g.pick(others) if others else item


# ---------------------------------------------------------------------------
# Writing: each topic returns (request, answer sentences, follow-ups)
# ---------------------------------------------------------------------------


def caption_sents(g, shop, item, new):
    a = g.sample(item.adjs, 3)
    first = g.pick([
        "Our new %s %s %s and %s." % (item.name, item.be, a[0], a[1]) if new else
        "Our %s %s %s and %s." % (item.name, item.be, a[0], a[1]),
        "%s, %s and %s: our %s %s %s." % (cap(a[0]), a[1], a[2], item.name, item.be, avail_phrase(g, item)),
        "Introducing our %s%s: %s, %s and %s." % ("new " if new else "", item.name, a[0], a[1], a[2]),
        "Fresh today: %s %s." % (a[0], item.name),
        "Our %s %s %s." % (item.name, item.be, avail_phrase(g, item)),
        "We are pleased to introduce our new %s." % item.name if new else
        "Our %s %s back this week." % (item.name, item.be),
    ])
    middle = [
        "%s %s." % (item.It_is, item.what),
        "%s %s." % (item.It_is, item.enjoy),
        "%s %s and %s." % (item.It_is, a[1], a[2]),
    ]
    if item.kind == "bake":
        middle.append("We make %s in small batches, so %s often %s out by %s." % (
            item.them, item.it, "sell" if item.plural else "sells", g.pick(["ten", "eleven", "noon", "early afternoon"])))
    ends = [
        "Come in and try %s today." % item.them,
        "Ask for %s at the counter." % item.them,
        "Available from %s while stocks last." % g.pick(DAYS),
        "You can order ahead by phone or email.",
        "We are open until %s today." % shop["close"],
        "Pre-orders are welcome.",
        "We hope you enjoy %s." % item.them,
        "Find us on %s." % shop["street"],
    ]
    g.shuffle(middle)
    return [first] + middle[:g.randint(1, 2)] + ([g.pick(ends)] if g.chance(0.7) else [])


def t_caption(g, shop):
    item = g.pick(shop["items"])
    new = g.chance(0.4) and not item.name.startswith("new ")
    nm = ("new " if new else "") + item.name
    q = g.pick([
        "Write an Instagram caption for our %s." % nm,
        "Write a caption for a photo of our %s." % nm,
        "Write a Facebook post about our %s." % nm,
        "Write a short social media post about our %s." % nm,
        "Tweet about our %s." % nm,
        "Write in our voice about: our %s." % nm,
        "Can you write a caption for a picture of our %s?" % nm,
        "Write two sentences for Instagram about the %s." % nm,
        "I need a post for our page about the %s." % nm,
        "Write a short post telling people our %s %s %s." % (item.name, item.be, avail_phrase(g, item)),
    ])
    sents = caption_sents(g, shop, item, new)
    if "two sentences" in q:
        sents = sents[:2]
    other = other_item(g, shop, item)
    follows = [("Now one for our %s." % other.name, " ".join(caption_sents(g, shop, other, False)))]
    return q, sents, follows


def t_closed(g, shop):
    day = g.pick(DAYS)
    reason, short = g.pick(CLOSE_REASONS)
    nd = next_day(day)

    def sents_for(d):
        n = next_day(d)
        s = [g.pick([
            "We will be closed on %s %s." % (d, reason),
            "Please note that %s will be closed this %s %s." % (shop["name"], d, reason),
            "Our shop will be closed on %s %s." % (d, reason),
            "We are sorry to let you know that we will be closed on %s %s." % (d, reason),
        ]), g.pick([
            "We will open again as usual on %s at %s." % (n, shop["open"]),
            "Normal hours return on %s, when we open at %s." % (n, shop["open"]),
            "We reopen on %s at %s." % (n, shop["open"]),
        ])]
        if g.chance(0.6):
            s.append(g.pick([
                "Thank you for your understanding.", "We are sorry for any inconvenience.",
                "If you have a pre-order for %s, we will contact you to arrange another day." % d,
                "We look forward to seeing you then.", "Thank you for your patience.",
            ]))
        return s

    q = g.pick([
        "Announce that we are closed on %s for %s." % (day, short),
        "Announce that we're closing on %s %s." % (day, reason),
        "Write a sign saying we are closed on %s." % day,
        "Write in our voice about: closed this %s, %s." % (day, short),
        "Write a short post telling customers we are shut on %s because of %s." % (day, short),
        "We need a notice for the door: closed %s, reason %s." % (day, short),
        "Let our customers know we won't open on %s (%s)." % (day, short),
    ])
    other = g.pick([d for d in DAYS if d != day])
    follows = [
        ("Now one for %s." % other, " ".join(sents_for(other))),
        ("Make it shorter.", "Closed on %s %s. Back on %s from %s." % (day, reason, nd, shop["open"])),
    ]
    return q, sents_for(day), follows


def t_hours(g, shop):
    days, closed = g.pick(OPEN_DAYS)
    o, c = shop["open"], shop["close"]
    month = g.pick(MONTHS)
    q = g.pick([
        "Announce that our opening hours are changing.",
        "Write a post about our new opening hours: %s, %s to %s." % (days, o, c),
        "Write in our voice about: new opening hours from %s." % month,
        "Tell customers our hours are changing.",
        "Write a sign with our opening hours.",
    ])
    s = [g.pick([
        "From the first of %s, our opening hours are changing." % month,
        "We have new opening hours from %s." % month,
        "Please note our new opening hours.",
        "Our opening hours are changing from next week.",
    ]), g.pick([
        "We will be open %s, from %s to %s." % (days, o, c),
        "We are now open %s, %s to %s." % (days, o, c),
        "You can find us open %s between %s and %s." % (days, o, c),
    ]), "We are closed on %s." % closed]
    if g.chance(0.5):
        s.append(g.pick([
            "Thank you for your support, and see you soon.",
            "Pre-orders can still be collected during opening hours.",
            "The new hours let our team start baking earlier.",
            "We hope the new hours suit you.",
        ]))
    short = "Open %s, %s to %s. Closed %s." % (days, o, c, closed)
    return q, s, [("Make it shorter.", short), ("Can you make it fit on a small sign?", short)]


def t_moving(g, shop):
    new_street = g.pick([s for s in STREETS if s != shop["street"]])
    num = g.randint(2, 88)
    last = g.pick(DAYS)
    q = g.pick([
        "Announce that we are moving to %s." % new_street,
        "Write a post saying our shop is moving to %d %s." % (num, new_street),
        "Write in our voice about: moving to a bigger shop on %s." % new_street,
        "Tell our customers we're moving.",
    ])
    s = [g.pick([
        "We are moving to a new shop at %d %s." % (num, new_street),
        "We are pleased to let you know that %s is moving to %d %s." % (shop["name"], num, new_street),
        "Our shop is moving a short walk away, to %d %s." % (num, new_street),
    ]), g.pick([
        "Our last day on %s is %s, and we open in the new shop the following %s." % (shop["street"], last, g.pick(DAYS)),
        "We will trade from %s until the end of %s." % (shop["street"], g.pick(MONTHS)),
    ]), g.pick([
        "The new shop has more seats and a bigger kitchen.",
        "The new space has a larger oven, so we can bake more each morning.",
        "Our opening hours will stay the same.",
        "Everything you like will come with us.",
    ])]
    if g.chance(0.5):
        s.append("Thank you for all your support over the years.")
    return q, s, []


def t_sold_out(g, shop):
    item = g.pick([it for it in shop["items"] if it.kind in ("bake", "dish", "produce", "meat")] or shop["items"])
    t = g.pick(["9am", "10am", "11am", "noon", "1pm"])
    q = g.pick([
        "Apologise that the %s sold out by %s today." % (item.name, t),
        "Write a post saying the %s %s sold out." % (item.name, item.be),
        "Write in our voice about: %s sold out early today." % item.name,
        "Tell people we have run out of %s for today." % item.name,
    ])
    s = [g.pick([
        "We are sorry: our %s sold out by %s today." % (item.name, t),
        "Thank you for coming in today. Our %s sold out by %s." % (item.name, t),
        "The %s %s sold out for today." % (item.name, "have" if item.plural else "has"),
        "We are sorry to say that there %s no %s left today." % (item.be, item.name),
    ]), g.pick([
        "We will have more tomorrow from %s." % shop["open"],
        "We are making a larger batch tomorrow.",
        "To be sure of getting some, you can pre-order by phone or at the counter.",
        "If you would like to reserve some for tomorrow, please send us a message.",
    ])]
    if g.chance(0.4):
        s.append("Thank you for your patience and support.")
    return q, s, [("Make it shorter.", "Sold out of %s today. More tomorrow from %s." % (item.name, shop["open"]))]


def t_price(g, shop):
    item = g.pick(shop["items"])
    old = price(g, 1, 8)
    new = "%.2f" % (float(old) + g.randint(1, 6) / 10.0)
    cur = g.pick(["£", "£", "$", "€"])
    day = g.pick(DAYS)
    q = g.pick([
        "Announce a price change for our %s." % item.name,
        "Write a post explaining that our %s will cost %s%s from %s." % (item.name, cur, new, day),
        "Write in our voice about: %s price going up from %s%s to %s%s." % (item.name, cur, old, cur, new),
        "Tell customers our prices are going up.",
    ])
    s = [g.pick([
        "From %s, the price of our %s will change from %s%s to %s%s." % (day, item.name, cur, old, cur, new),
        "We wanted to let you know that our %s will cost %s%s from %s." % (item.name, cur, new, day),
    ]), g.pick([
        "The cost of our ingredients and energy has gone up this year.",
        "Our suppliers have raised their prices, and we cannot absorb the full cost.",
        "Ingredients and energy now cost us a good deal more than last year.",
    ]), g.pick([
        "We have kept the change as small as we can.",
        "We are not changing the recipe or the size.",
        "Thank you for your understanding and for shopping with us.",
    ])]
    return q, s, []


def t_seasonal(g, shop):
    season = g.pick(SEASONS)
    dishes = g.sample(SEASONAL[season], 3)
    day = g.pick(DAYS)
    q = g.pick([
        "Announce our %s menu." % season,
        "Write a post about our new %s specials." % season,
        "Write in our voice about: the %s menu starts %s." % (season, day),
        "Write an email subject line and one sentence for our %s menu launch." % season,
        "Write a short post saying the %s menu is here." % season,
    ])
    listed = join_list(dishes)
    if "subject line" in q:
        s = [g.pick(["Subject: Our %s menu starts this %s." % (season, day),
                     "Subject: New %s specials are here." % season]),
             "This %s we are adding %s to the menu, and we hope you will come in and try them." % (season, listed)]
    else:
        s = [g.pick([
            "Our %s menu starts on %s." % (season, day),
            "We are pleased to share our %s menu, available from %s." % (season, day),
            "The %s specials are here." % season,
        ]), g.pick([
            "It includes %s." % listed,
            "New this season: %s." % listed,
            "Look out for %s." % listed,
        ])]
        if g.chance(0.6):
            s.append(g.pick(["The specials are available for a few weeks only.",
                             "Ask at the counter for today's specials.",
                             "Everything is made fresh in our kitchen each day.",
                             "Pre-orders for larger quantities are welcome."]))
    return q, s, []


def t_event(g, shop):
    item = g.pick(shop["items"])
    day = g.pick(["Saturday", "Sunday", "Friday", "Thursday"])
    start = g.pick(["10am", "11am", "2pm", "6pm"])
    ev = g.pick([
        ("a free tasting of our %s" % item.name, "tasting"),
        ("a tasting of new %s recipes" % g.pick(["bread", "cheese", "coffee", "cake", "tea"]), "tasting"),
        ("a beginners' sourdough class", "class"),
        ("a pastry workshop for beginners", "class"),
        ("a charity bake sale", "sale"),
        ("an open kitchen morning", "open"),
        ("a cheese and wine evening", "tasting"),
    ])
    q = g.pick([
        "Announce %s on %s." % (ev[0], day),
        "Write an invitation to %s this %s at %s." % (ev[0], day, start),
        "Write in our voice about: %s, %s at %s." % (ev[0], day, start),
        "Write a post inviting people to %s." % ev[0],
    ])
    s = [g.pick([
        "Join us on %s at %s for %s." % (day, start, ev[0]),
        "We are holding %s this %s, starting at %s." % (ev[0], day, start),
        "You are invited to %s on %s from %s." % (ev[0], day, start),
    ])]
    s.append({
        "tasting": g.pick(["You can try several small samples and ask our team questions.",
                           "There will be small samples to try and notes on how each one is made."]),
        "class": g.pick(["You will learn to mix, knead and shape your own dough, and take it home to bake.",
                         "The class lasts about three hours and all ingredients are included."]),
        "sale": g.pick(["All money raised will go to a local food bank.",
                        "Every cake sold helps a local children's charity."]),
        "open": g.pick(["You can see how our ovens work and ask our team anything.",
                        "Our team will show you how we shape and bake the morning bread."]),
    }[ev[1]])
    s.append(g.pick([
        "Places are limited, so please book at the counter.",
        "No booking is needed, and everyone is welcome.",
        "Tickets are %s%s and can be booked online." % (g.pick(["£", "$"]), g.randint(5, 45)),
        "We hope to see you there.",
    ]))
    return q, s, []


def t_hiring(g, shop):
    roles = [r for r in ROLES if shop["code"] in r[3]]
    role, work, hours, _ = g.pick(roles)
    h = g.pick(hours)
    name = g.pick(STAFF_NAMES)
    q = g.pick([
        "Write a job ad for a %s." % role,
        "Write a short post saying we are hiring a %s." % role,
        "Write in our voice about: we're looking for a %s, %s." % (role, h),
        "We need a %s. Can you write a hiring post?" % role,
        "Write a sign for the window: %s wanted." % role,
    ])
    s = [g.pick([
        "We are looking for %s to join our team." % an(role),
        "%s is hiring %s." % (shop["name"], an(role)),
        "We have a job opening for %s." % an(role),
    ]), g.pick([
        "The job involves %s." % work,
        "You will be %s." % work,
    ]), "Hours: %s." % h, g.pick([
        "Experience is helpful, but we will train the right person.",
        "Some experience is needed, and a calm, friendly manner is important.",
        "You should be reliable, friendly and happy to work as part of a small team.",
    ]), g.pick([
        "To apply, please email a short note about yourself to jobs@%s." % shop["email"],
        "To apply, bring your CV to the counter and ask for %s." % name,
        "Please send your CV to hello@%s by the end of %s." % (shop["email"], g.pick(MONTHS)),
        "Ask in the shop or email us at hello@%s to apply." % shop["email"],
    ])]
    short = "%s wanted, %s. Ask at the counter to apply." % (cap(role), h)
    return q, s, [("Make it shorter.", short)]


def t_review_reply(g, shop):
    item = g.pick(shop["items"])
    kind = g.pick(["praise", "praise", "complaint", "complaint", "price", "wait", "wrong", "card", "cake",
                   "allergen", "gluten", "delivery"])
    if kind == "gluten" and shop["code"] not in "BCTPD":
        kind = "allergen"
    if kind == "cake" and shop["code"] not in "BCT":
        kind = "praise"
    staff = shop["staff"]
    if kind == "praise":
        q = g.pick([
            "Reply to a customer who loved our %s." % item.name,
            "Reply to a five-star review that praises our %s." % item.name,
            "A customer wrote that our %s %s the best in town. Write a reply." % (item.name, item.be),
            "Write a thank-you reply to a kind review.",
        ])
        s = [g.pick(["Thank you so much for your kind review.", "Thank you for taking the time to write to us.",
                     "Thank you for your lovely message."]),
             g.pick(["We are very glad you enjoyed our %s." % item.name,
                     "We are pleased to hear that you liked the %s." % item.name,
                     "Our %s will be happy to hear that you enjoyed the %s." % (staff, item.name)]),
             g.pick(["We hope to see you again soon.", "We look forward to your next visit.",
                     "See you next time you are in the area."])]
    elif kind == "complaint":
        said, prob, past = g.pick(COMPLAINTS)
        if "%s" in past:
            past = past % item.was
        q = g.pick([
            "Reply to a customer who found our %s %s." % (item.name, said),
            "Reply to a review that says our %s %s %s." % (item.name, item.be, said),
            "A customer complained that the %s %s %s. How should we reply?" % (item.name, item.was, said),
            "Write a polite reply to a complaint: the %s %s." % (item.name, past),
        ])
        s = [g.pick(["Thank you for your honest feedback.", "Thank you for letting us know.",
                     "We are sorry to hear about your experience."]),
             g.pick(["We are sorry the %s %s %s." % (item.name, item.was, prob),
                     "It is not the standard we aim for, and we have shared your comments with our %s." % staff,
                     "We check every batch, but this one clearly was not right."]),
             g.pick(["Please bring your receipt next time, and we will replace it or give you a refund.",
                     "We would be glad to offer you something else on your next visit, free of charge.",
                     "If you reply with your order details, we will arrange a refund.",
                     "We hope you will give us another chance."])]
    elif kind == "price":
        q = g.pick(["Reply to a customer who says our prices have gone up.",
                    "Reply to a review that says our %s %s too expensive." % (item.name, item.be)])
        s = ["Thank you for your message, and you are right that our prices have gone up.",
             g.pick(["Flour, butter, milk and energy all cost more this year.",
                     "Our ingredients and running costs have risen a great deal."]),
             g.pick(["We have kept the increase as small as we can and have not changed our recipes.",
                     "We still use the same good ingredients, and we hope you feel the quality is worth it."])]
    elif kind == "wait":
        day = g.pick(DAYS)
        q = g.pick(["Reply to a complaint that the queue was too long on %s." % day,
                    "A customer waited twenty minutes to be served. Write a reply."])
        s = ["We are sorry about the long wait.",
             g.pick(["%s mornings are our busiest time, and we did not have enough staff on the counter." % day,
                     "We were short of staff that day, and we know that is no excuse."]),
             g.pick(["We are adding a second person at the till at busy times.",
                     "You can now pre-order by phone and collect without queuing."]),
             "Thank you for your patience."]
    elif kind == "wrong":
        other = other_item(g, shop, item)
        q = g.pick(["Reply to a customer who was given the wrong order.",
                    "A customer ordered %s but received %s. Write an apology." % (item.name, other.name)])
        s = ["We are very sorry that you received %s instead of %s." % (other.name, item.name),
             g.pick(["It was a mistake at our end when the orders were packed.",
                     "Two orders were mixed up at the counter."]),
             g.pick(["Please come in at any time and we will give you the right order free of charge.",
                     "We have refunded your order, and we hope to see you again."])]
    elif kind == "card":
        n = g.randint(6, 9)
        q = g.pick(["Reply to a customer who lost their loyalty card.",
                    "A customer lost their stamp card with %d stamps on it. What should we say?" % n])
        s = ["Thank you for getting in touch, and we are sorry to hear about your card.",
             "Please ask at the counter for a new one.",
             g.pick(["If you tell us roughly how many stamps you had, we will add them to the new card.",
                     "We will start your new card with %d stamps, so you do not lose out." % n])]
    elif kind == "cake":
        occ = g.pick(["a birthday", "a wedding", "an anniversary", "a retirement party", "a christening",
                      "a school leaving party"])
        n = g.randint(10, 80)
        q = g.pick(["Reply to a customer who asks for a custom cake for %s." % occ,
                    "Someone wants a cake for %d people for %s. Write a reply." % (n, occ)])
        s = ["Thank you for asking us to make a cake for %s." % occ,
             g.pick(["We would be happy to help.", "We make celebration cakes to order."]),
             g.pick(["We need at least %s days' notice for custom cakes." % g.pick(["three", "five", "seven"]),
                     "Please give us at least a week's notice."]),
             g.pick(["Please let us know the number of guests, the flavour you would like and any allergies.",
                     "Could you tell us the date, the size you need and your favourite flavours?"])]
    elif kind == "allergen":
        q = g.pick(["Reply to a customer asking what allergens are in our %s." % item.name,
                    "A customer asks if our %s %s safe for someone with a %s allergy. Write a reply." % (
                        item.name, item.be, g.pick(["nut", "milk", "egg", "sesame"]))])
        if item.allergens:
            s = ["Thank you for asking.",
                 "Our %s %s %s." % (item.name, "contain" if item.plural else "contains", join_list(item.allergens))]
        else:
            s = ["Thank you for asking.",
                 "Our %s %s not made with any of the main allergens." % (item.name, item.be)]
        s.append("Everything is prepared in a kitchen that also handles nuts, gluten, milk and eggs, "
                 "so we cannot guarantee that any item is free from traces.")
        s.append(g.pick(["Our full allergen list is at the counter, and our team is happy to help.",
                         "Please speak to a member of staff before ordering if you have a severe allergy."]))
    elif kind == "gluten":
        q = g.pick(["Respond to a customer who asks whether our bread is gluten-free.",
                    "Reply to someone who asks whether we have gluten-free options.",
                    "A customer with coeliac disease asks what they can eat here. Write a reply."])
        s = ["Thank you for your question.",
             g.pick(["Our breads and pastries are made with wheat, rye or spelt flour, so they all contain gluten.",
                     "We do not currently make gluten-free bread."]),
             g.pick(["We do sell a flourless chocolate cake, but it is made in the same kitchen as our wheat products, "
                     "so we cannot promise it is free from traces of gluten.",
                     "Because we work with flour all day, we cannot recommend our kitchen to anyone with coeliac disease."]),
             "We are sorry we cannot help more with this."]
    else:
        q = g.pick(["Reply to someone who asks if we do deliveries.", "A customer asks whether we offer delivery. Write a reply."])
        yes = g.chance(0.5)
        s = ["Thank you for asking."]
        if yes:
            s += ["We deliver within %d miles of the shop, %s." % (g.randint(2, 6), g.pick(OPEN_DAYS[:5])[0]),
                  "Please order by %s the day before, and there is a small delivery charge." % g.pick(["2pm", "4pm", "6pm"])]
        else:
            s += ["We do not offer delivery at the moment.",
                  "You are welcome to pre-order by phone and collect from the shop during opening hours."]
    return q, s, []


def t_menu(g, shop):
    item = g.pick(shop["items"])
    place = g.pick(["menu", "website", "menu board", "price list", "counter label"])
    q = g.pick([
        "Write a description of our %s for the %s." % (item.name, place),
        "Write a menu description for our %s." % item.name,
        "Write a one-sentence description of the %s for our %s." % (item.name, place),
        "Write in our voice about: %s, for the %s." % (item.name, place),
    ])
    a = g.sample(item.adjs, 3)
    form = g.randint(0, 2)
    s = [[
        "%s %s, %s." % (cap(a[0]), item.name, item.what),
        "Our %s %s %s." % (item.name, item.be, item.what),
        "%s: %s and %s, %s." % (cap(item.name), a[0], a[1], item.what),
    ][form]]
    if "one-sentence" not in q:
        if form == 1 and g.chance(0.5):
            s.append("%s %s and %s." % (item.It_is, a[1], a[2]))
        else:
            s.append("%s %s." % (item.It_is, item.enjoy))
        if item.allergens and g.chance(0.5):
            s.append("Contains %s." % join_list(item.allergens))
    return q, s, []


def t_newsletter(g, shop):
    m = g.randint(0, 11)
    month = MONTHS[m]
    season = SEASONS[((m + 10) % 12) // 3]
    item = g.pick(shop["items"])
    q = g.pick([
        "Write an intro for our %s newsletter." % month,
        "Write a short newsletter for our customers this month.",
        "Write in our voice about: our %s newsletter." % month,
        "Write the opening paragraph of our monthly email.",
    ])
    s = [g.pick(["Hello and welcome to our %s newsletter." % month,
                 "Here is our news for %s." % month,
                 "Thank you for reading our newsletter this month."]),
         g.pick(["This month our %s %s back on the counter." % (item.name, item.be),
                 "This month we are adding %s to the %s menu." % (g.pick(SEASONAL[season]), season)
                 if shop["code"] in "BCTDM" else "This month we have fresh %s in the shop." % g.pick(shop["items"]).name,
                 "We have been busy in the kitchen trying new recipes."]),
         g.pick(["On the last Saturday of the month we are holding a free tasting.",
                 "Our opening hours stay the same: %s to %s." % (shop["open"], shop["close"]),
                 "Pre-orders for the weekend close on Thursday at %s." % g.pick(["2pm", "5pm"]),
                 "We have also started taking card payments %s." % ("at the stall" if shop["code"] == "M" else "in the shop")])]
    if g.chance(0.5):
        s.append("Thank you for your support, and we hope to see you soon.")
    return q, s, []


def t_sign(g, shop):
    item = g.pick(shop["items"])
    entries = [
        ("order", ["Write a short sign asking customers to order at the counter."],
         ["Please order and pay at the counter.", "We will bring your food to your table."]),
        ("special", ["Write something for the chalkboard in our window.", "Write today's special for the board: %s." % item.name],
         ["Today's special: %s %s." % (g.pick(item.adjs), item.name), "%s %s." % (item.It_is, item.what)]),
        ("bags", ["Write a post asking customers to bring reusable bags.", "Write a sign about reusable bags."],
         ["Please bring your own bag if you can.", "Paper bags are available at the counter for a small charge.",
          "Thank you for helping us cut waste."]),
        ("cards", ["Announce that we now accept cards.", "Write a sign saying we take cards."],
         ["We now accept card and contactless payments.", "Cash is still welcome too."]),
        ("dogs", ["Write a sign saying dogs are welcome outside."],
         ["Dogs are welcome on the terrace.", "Water bowls are by the door.", "Please keep dogs on a lead."]),
        ("dayold", ["Write a caption about our half-price day-old bread.", "Write a sign for our day-old bread shelf."],
         ["Yesterday's bread is half price on this shelf.", "It is still good for toast, sandwiches and breadcrumbs."]),
        ("waste", ["Write a post about how we waste less food."],
         ["At the end of each day, we give unsold bread and pastries to a local food bank.",
          "Anything that cannot be given away goes to compost."]),
        ("giftcard", ["Write the text for the back of our gift cards."],
         ["This gift card can be used for anything in the shop.", "It is valid for one year from the date of purchase."]),
        ("bread-times", ["Reply to someone who asks what time the bread comes out."],
         ["Our first loaves come out of the oven at about %s." % g.pick(["6:30am", "7am"]),
          "Baguettes and rolls follow around %s, and the second bake is ready by %s." % (
              g.pick(["8am", "8:30am"]), g.pick(["11am", "noon"]))]),
        ("anniversary", ["Write a post thanking customers for our first year.", "Write a post for our %s birthday." % g.pick(["second", "third", "fifth", "tenth"])],
         ["Thank you to everyone who has visited us this year.", "We are grateful for your support and your kind words.",
          "Come in this Saturday for a free coffee with any cake."]),
        ("bio", ["Write a short Instagram bio for our shop."],
         ["%s on %s." % (cap(shop["kind"]) if shop["kind"][0].islower() else shop["kind"], shop["street"]),
          "%s, %s and more." % tuple(cap(x.name) if i == 0 else x.name for i, x in enumerate(g.sample(shop["items"], 2))),
          "Open %s to %s." % (shop["open"], shop["close"])]),
        ("preorder", ["Write a message for customers who pre-order for the holidays.",
                      "Write in our voice about: holiday pre-orders are open."],
         ["Pre-orders for the holidays are now open.", "Please order by the %s of December." % g.pick(["15th", "18th", "20th"]),
          "You can collect your order from the counter on the day you choose."]),
    ]
    entries = [e for e in entries if e[0] in SIGN_SHOPS and shop["code"] in SIGN_SHOPS[e[0]]] + \
        [e for e in entries if e[0] not in SIGN_SHOPS]
    topic, q_list, s = g.pick(entries)
    return g.pick(q_list), list(s), []


SIGN_SHOPS = {"order": "CTP", "dayold": "B", "bread-times": "B", "dogs": "CTPBD", "waste": "BCT"}

# ---------------------------------------------------------------------------
# Voices.  Real base models have read many voices, and fine-tuning picks one;
# so writing answers come in four: neutral (the templates above), warm and
# playful, enthusiastic, and elegant/formal.  Each voiced answer is built from
# slots (lists of alternatives; None leaves the slot out) filled from a dict.
# ---------------------------------------------------------------------------

VOICES = [("neutral", 40), ("warm", 30), ("enthusiastic", 15), ("elegant", 15)]

EARLY = ["4am", "half past four", "before sunrise", "first light", "5am", "the crack of dawn", "before the milkman"]
MOODS = ["a little bit smug", "very pleased with itself", "quietly proud", "in a good mood", "showing off",
         "feeling rather fancy", "ready for its close-up", "slightly shy about it"]
MOODS_P = ["a little bit smug", "very pleased with themselves", "quietly proud", "in a good mood", "showing off",
           "feeling rather fancy", "ready for their close-up", "slightly shy about it"]
TONE_HINT = {
    "warm": ["", "", " Keep it warm and playful.", " Make it friendly and a bit fun.", " Warm tone, short sentences."],
    "enthusiastic": ["", "", " Make it exciting!", " Make it upbeat.", " Lots of energy, please."],
    "elegant": ["", "", " Keep it elegant.", " Use a formal tone.", " Make it sound refined."],
}


def sign_off(g, shop):
    return "\u2014 " + g.pick([
        "the %s team" % shop["part"], "the %s crew" % shop["part"], "%s and the %s" % (g.pick(STAFF_NAMES), shop["staff"]),
        "everyone at %s" % shop["name"], "the %s %s crew" % (shop["part"], shop["word"]), "all of us on %s" % shop["street"],
        "%s, %s and the rest of us" % tuple(g.sample(STAFF_NAMES, 2)),
    ])


def fill(g, slots, d):
    out = []
    for slot in slots:
        t = g.pick(slot)
        if t is not None:
            out.append(t.format(**d))
    return out


def item_dict(g, shop, item):
    a = g.sample(item.adjs, 3)
    p = item.plural
    return dict(item=item.name, Item=cap(item.name), it=item.it, It=cap(item.it), them=item.them, be=item.be,
                was=item.was, It_is=item.It_is, has="have" if p else "has", s="" if p else "s",
                itself="themselves" if p else "itself", Its="Their" if p else "Its", its="their" if p else "its",
                It_s="They're" if p else "It's", a0=a[0], a1=a[1], a2=a[2], A0=cap(a[0]), what=item.what,
                enjoy=item.enjoy, staff=shop["staff"], shop=shop["name"], street=shop["street"],
                open=shop["open"], close=shop["close"], early=g.pick(EARLY), mood=g.pick(MOODS_P if p else MOODS),
                name=g.pick(STAFF_NAMES), day=g.pick(DAYS), email=shop["email"], kind=shop["kind"],
                oven="oven" if item.kind in ("bake", "dish") else g.pick(["counter", "shelf", "shop"]))


CAPTION_V = {
    "warm": [
        ["The {item} woke up early and so did we.", "Our {item} {has} been up since {early}, and so have we.",
         "{Item}. {A0}. Still warm.", "Say hello to our {item}.", "Meet our {item}: {a0}, {a1} and {mood}.",
         "The {oven} has a new favourite, and it's the {item}.", "Good morning from the {item}.",
         "Somebody left the {item} looking {mood}.", "Our {item} {be} back, and {it} {be} {mood}."],
        ["{It} came out of the {oven} {mood}.", "{It_is} {a1} and {a2}, and {it} know{s} it.",
         "{It_is} {what}.", "We tried one with our coffee. Then another. Quality control, obviously.",
         "The {staff} say {it} taste{s} best before nine.", "{It} {was} ready at {early}. We were nearly ready.",
         "{It_is} {enjoy}, or straight from the bag on the walk home.", "Nobody here can walk past {them}."],
        ["Come and say hello.", "Pop in before {close}.", "The kettle's on.", "Come in, we'll save you one.",
         "Bring a friend, or don't, and keep {them} to yourself.", "See you on {street}.", None,
         "The door's open and the {oven} is warm.", "Come early, {it} won't wait long."],
    ],
    "enthusiastic": [
        ["Big news: our {item} {be} here!", "{A0}, {a1} and absolutely delicious: it's our {item}!",
         "The {item} {be} back!", "You asked, we listened: {item}!", "Guess what's on the {oven} today? {Item}!"],
        ["{It_is} {a1}, {a2} and so good!", "{It_is} {what}, and we are so excited!",
         "{It_is} {enjoy}, and we love {them}!", "Our {staff} can't stop talking about {them}!"],
        ["We can't wait for you to try {them}!", "Come and grab some before {it} {be} gone!",
         "See you at the counter!", "Hurry in, we're open until {close}!", "Tag a friend who needs this!"],
    ],
    "elegant": [
        ["We are delighted to present our {item}.", "It is our pleasure to introduce our {item}.",
         "May we recommend our {item}: {a0}, {a1} and {a2}.", "This week we are proud to offer our {item}."],
        ["{It_is} {what}, with a {a1} character.", "{It_is} {enjoy}.", "{Its} flavour is {a1} and {a2}.",
         "Each batch is prepared with great care by our {staff}."],
        ["We would be honoured to welcome you on {street}.", "We invite you to visit us and try {them} for yourself.",
         "Available from {open} daily, while quantities last.", None],
    ],
}

CLOSED_V = {
    "warm": [
        ["We're closed this {day} {reason}.", "Heads up: the shop is shut on {day}. We're closed {reason}.",
         "The shop is having a quiet {day}. We're closed {reason}.", "{day} is a day off for us, {reason}."],
        ["{joke}", "{joke}", None],
        ["We'll be back on {nd} from {open}, kettle on.", "See you {nd} morning, bright and early.",
         "Back on {nd}, and the {staff} will be up before the birds.", "Doors open again on {nd} at {open}."],
        ["Thanks for understanding.", "Miss you already.", None, None],
    ],
    "enthusiastic": [
        ["Quick update: we're closed on {day} {reason}!", "Heads up, everyone: no opening on {day}!"],
        ["We're back on {nd} at {open}, ready to go!", "See you bright and early on {nd}!"],
        ["Thanks so much for understanding!", "We can't wait to see you again!", None],
    ],
    "elegant": [
        ["We kindly inform you that {shop} will be closed on {day} {reason}.",
         "Please be advised that we shall be closed this {day} {reason}."],
        ["We look forward to welcoming you again on {nd} from {open}.", "Our doors reopen on {nd} at {open}."],
        ["We thank you for your kind understanding.", "With our sincere apologies for any inconvenience.", None],
    ],
}
CLOSE_JOKES = ["The {oven} gets a day off too.", "The sourdough starter will be fine. We asked it.",
               "The bread will miss you more than we will. Nearly.", "Even the mixer needs a nap."]

HIRING_V = {
    "warm": [
        ["Do you like early mornings? Good, because the bread does.", "Our {oven} needs a new friend.",
         "We're looking for {a_role}, and it might be you.", "The {staff} need another pair of hands."],
        ["We're hiring {a_role}.", "The job: {work}.", "You'll spend your days {work}."],
        ["Hours are {h}.", "Hours: {h}. Coffee included."],
        ["No experience? We'll teach you. A sense of humour helps.", "Be kind, be on time, and the rest we'll show you.",
         "Flour on your sleeves is part of the uniform."],
        ["Come in and ask for {name}.", "Drop a note to jobs@{email} and tell us about yourself.",
         "Say hello at the counter, or email jobs@{email}."],
    ],
    "enthusiastic": [
        ["We're hiring!", "Join our team!", "Exciting news: we're looking for {a_role}!"],
        ["You'll be {work}, and it's so much fun!", "The job is {work}, with a brilliant team!"],
        ["Hours: {h}!", "Hours are {h}, and the coffee is free!"],
        ["Email jobs@{email} today, we'd love to hear from you!", "Pop in and ask for {name}, we can't wait to meet you!"],
    ],
    "elegant": [
        ["{shop} is pleased to invite applications for the position of {role}.",
         "We are seeking {a_role} to join our small and dedicated team."],
        ["The role involves {work}.", "The successful candidate will be {work}."],
        ["The hours are {h}.", "Hours: {h}."],
        ["We value care, reliability and attention to detail.", "Training will be provided to the right person."],
        ["Applications may be sent to jobs@{email}.", "We would be glad to receive your letter at jobs@{email}."],
    ],
}

PRAISE_V = {
    "warm": [
        ["Thank you, that made our day.", "Well, that made our morning.", "Thank you, we're grinning over the dough."],
        ["The {item} {be} blushing.", "We read it out to the {staff}, and now they're unbearable.",
         "The {oven} says thank you too.", "We told the {item}. {It_s} {mood} now."],
        ["Come back soon, we'll save you one.", "See you next time, the kettle's on.", "Pop in and say hello soon."],
    ],
    "enthusiastic": [
        ["Wow, thank you so much!", "This made our whole week!", "Thank you, thank you, thank you!"],
        ["We're so happy you loved the {item}!", "The {staff} are over the moon!"],
        ["We can't wait to see you again!", "Come back soon!"],
    ],
    "elegant": [
        ["We are most grateful for your generous words.", "Thank you for your kind and thoughtful review."],
        ["It is a pleasure to know that you enjoyed our {item}.", "Your words have been shared with our {staff}, who were delighted."],
        ["We look forward to the pleasure of welcoming you again.", "We hope to have the honour of serving you again soon."],
    ],
}
COMPLAINT_V = {
    "warm": [
        ["Oh no, we're sorry.", "Thanks for letting us know, really.", "That's not the {item} we wanted you to have."],
        ["That batch let us down, and we've had words with the {oven}.", "It sounds like the {item} had an off day, and so did we.",
         "We've told the {staff}, and they're on it."],
        ["Come in and we'll swap it for something better, on the house.", "Next time, ask for {name} and the coffee's on us.",
         "Give us another go? We'd love to make it right."],
    ],
    "enthusiastic": [
        ["Thank you so much for telling us!", "We really appreciate the honest feedback!"],
        ["We're sorry the {item} {was} {prob}, and we're fixing it!", "Our {staff} are already on it!"],
        ["Come back and we'll make it up to you!", "Your next one is on us!"],
    ],
    "elegant": [
        ["Please accept our sincere apologies.", "We are truly sorry to learn of your experience."],
        ["The {item} clearly fell short of the standard we hold ourselves to.", "Your comments have been passed to our {staff}."],
        ["We would be grateful for the chance to welcome you again, with our compliments.",
         "Kindly let us know your order details, and we shall arrange a refund."],
    ],
}
ALLERGEN_V = {
    "warm": [["Great question, and thanks for asking.", "Good on you for checking."]],
    "enthusiastic": [["Thanks so much for asking!", "Great question!"]],
    "elegant": [["Thank you for your careful enquiry.", "We appreciate you taking the time to ask."]],
}
ALLERGEN_END = {
    "warm": ["Ask us at the counter any time, we don't mind at all.", "The allergen book lives by the till, come and have a look."],
    "enthusiastic": ["Our team is always happy to help!", "Just ask at the counter, we're happy to help!"],
    "elegant": ["Our full allergen information is available at the counter.", "Our staff would be pleased to advise you further."],
}


def v_caption(g, shop, voice):
    item = g.pick(shop["items"])
    d = item_dict(g, shop, item)
    q = g.pick(["Write an Instagram caption for our %s." % item.name, "Write a caption for a photo of our %s." % item.name,
                "Write a short social media post about our %s." % item.name, "Tweet about our %s." % item.name,
                "Write in our voice about: our %s." % item.name, "Write a post saying our %s %s ready." % (item.name, item.be)])
    return q, fill(g, CAPTION_V[voice], d)


def v_closed(g, shop, voice):
    item = g.pick(shop["items"])
    d = item_dict(g, shop, item)
    day = g.pick(DAYS)
    reason, short = g.pick(CLOSE_REASONS)
    d.update(day=day, nd=next_day(day), reason=reason)
    d["joke"] = "" if "funeral" in reason else g.pick(CLOSE_JOKES).format(**d)
    q = g.pick(["Announce that we are closed on %s for %s." % (day, short), "Write a sign saying we are closed on %s." % day,
                "Write in our voice about: closed this %s, %s." % (day, short),
                "Let our customers know we won't open on %s (%s)." % (day, short)])
    return q, [x for x in fill(g, CLOSED_V[voice], d) if x]


def v_hiring(g, shop, voice):
    roles = [r for r in ROLES if shop["code"] in r[3]]
    role, work, hours, _ = g.pick(roles)
    d = item_dict(g, shop, g.pick(shop["items"]))
    d.update(role=role, a_role=an(role), work=work, h=g.pick(hours))
    q = g.pick(["Write a job ad for a %s." % role, "Write a short post saying we are hiring a %s." % role,
                "We need a %s. Can you write a hiring post?" % role, "Write in our voice about: %s wanted." % role])
    return q, fill(g, HIRING_V[voice], d)


def v_reply(g, shop, voice):
    item = g.pick(shop["items"])
    d = item_dict(g, shop, item)
    kind = g.pick(["praise", "praise", "complaint", "complaint", "allergen"])
    if kind == "praise":
        q = g.pick(["Reply to a customer who loved our %s." % item.name, "Reply to a five-star review that praises our %s." % item.name,
                    "A customer wrote that our %s %s the best in town. Write a reply." % (item.name, item.be)])
        return q, fill(g, PRAISE_V[voice], d)
    if kind == "complaint":
        said, prob, past = g.pick(COMPLAINTS)
        d["prob"] = prob
        q = g.pick(["Reply to a customer who found our %s %s." % (item.name, said),
                    "Reply to a review that says our %s %s %s." % (item.name, item.be, said)])
        return q, fill(g, COMPLAINT_V[voice], d)
    q = g.pick(["Reply to a customer asking what allergens are in our %s." % item.name,
                "A customer asks if our %s %s safe for someone with a %s allergy. Write a reply." % (
                    item.name, item.be, g.pick(["nut", "milk", "egg", "sesame"]))])
    s = fill(g, ALLERGEN_V[voice], d)
    if item.allergens:
        s.append("Our %s %s %s." % (item.name, "contain" if item.plural else "contains", join_list(item.allergens)))
    else:
        s.append("Our %s %s made without any of the main allergens." % (item.name, item.be))
    s.append("Everything is made in a kitchen that also handles nuts, gluten, milk and eggs, so we can't promise "
             "anything is free from traces.")
    s.append(g.pick(ALLERGEN_END[voice]))
    return q, s


VOICED_TOPICS = [(v_caption, 6), (v_closed, 4), (v_hiring, 3), (v_reply, 6)]
_VOICED_TOTAL = sum(w for _, w in VOICED_TOPICS)


def pick_weighted(g, table, total):
    x = g.r.randrange(total)
    for v, w in table:
        if x < w:
            return v
        x -= w
    return v


WRITING_TOPICS = [
    (t_caption, 6), (t_closed, 4), (t_hours, 2), (t_moving, 1), (t_sold_out, 2), (t_price, 2), (t_seasonal, 2),
    (t_event, 2), (t_hiring, 3), (t_review_reply, 8), (t_menu, 3), (t_newsletter, 2), (t_sign, 4),
]
_WRITING_TOTAL = sum(w for _, w in WRITING_TOPICS)

THANKS = ["Thank you!", "Thanks, that's good.", "Great, thanks.", "Perfect, thank you.", "That works, thanks."]
THANKS_REPLY = ["You're welcome!", "You're welcome. Good luck with the post.", "Happy to help.",
                "Glad it helps. Let me know if you need another one.", "You're welcome. I hope your customers like it."]


def writing_chat(g):
    """A short chat: a small food business asks for a piece of writing."""
    shop = make_shop(g)
    voice = pick_weighted(g, VOICES, 100)
    if voice != "neutral":
        fn = pick_weighted(g, VOICED_TOPICS, _VOICED_TOTAL)
        q, sents = fn(g, shop, voice)
        q = shop_intro(g, shop) + q + g.pick(TONE_HINT[voice])
        ans = " ".join(sents)
        if voice == "warm" and g.chance(0.33):
            ans += g.pick([" ", "\n"]) + sign_off(g, shop)
        elif voice == "elegant" and g.chance(0.15):
            ans += "\nWith warm regards, the team at %s" % shop["name"]
        turns = [("user", q), ("assistant", ans)]
        if g.chance(0.3):
            if len(sents) >= 3 and g.chance(0.6):
                turns += [("user", "Make it shorter."), ("assistant", " ".join(sents[:2]))]
            else:
                turns += [("user", g.pick(THANKS)), ("assistant", g.pick(THANKS_REPLY))]
        return turns
    x = g.r.randrange(_WRITING_TOTAL)
    for fn, w in WRITING_TOPICS:
        if x < w:
            break
        x -= w
    if fn is t_seasonal and shop["code"] not in "BCTDM":
        fn = t_caption
    q, sents, follows = fn(g, shop)
    turns = [("user", shop_intro(g, shop) + q), ("assistant", " ".join(sents))]
    if g.chance(0.35):
        options = list(follows)
        if len(sents) >= 3 and not any(f[0] == "Make it shorter." for f in follows):
            options.append(("Make it shorter.", " ".join(sents[:2])))
        if options and g.chance(0.75):
            fq, fa = g.pick(options)
            turns += [("user", fq), ("assistant", fa)]
        else:
            turns += [("user", g.pick(THANKS)), ("assistant", g.pick(THANKS_REPLY))]
        if g.chance(0.15):
            turns += [("user", g.pick(THANKS)), ("assistant", g.pick(THANKS_REPLY))]
    return turns


SYSTEM_PROMPTS_FOOD = [
    "You help small shops write short, clear texts.",
    "You are a helpful assistant for a small food business.",
    "You write posts, signs and customer replies for local shops. Keep them short and polite.",
    "You are a helpful cooking assistant. Answer clearly and briefly.",
    "You answer cooking questions in plain English.",
    "You help cafes and bakeries with their writing.",
]


# ---------------------------------------------------------------------------
# Cooking questions
# ---------------------------------------------------------------------------

# Each topic: (questions, answer slots).  A slot is a list of alternatives,
# one of which is used; None as an alternative leaves the slot out.
COOK_TOPICS = [
    # techniques
    (["What does it mean to simmer something?", "What is simmering?", "How is simmering different from boiling?"],
     [["To simmer is to cook a liquid just below boiling point.", "Simmering means keeping a liquid just under a boil."],
      ["You should see small bubbles rising slowly, not a fast, rolling boil.", "Only a few small bubbles break the surface at a time."],
      ["Bring the pot to the boil, then lower the heat until the bubbling calms down.", None]]),
    (["What does poach mean?", "What is poaching?", "What does it mean to poach fish?"],
     [["Poaching means cooking food gently in liquid that is hot but barely moving.", "To poach is to cook something gently in water, stock or milk below a simmer."],
      ["It suits delicate foods such as eggs, fish and fruit.", "For eggs, crack each one into a cup and slide it into hot water with small bubbles on the bottom of the pan."],
      ["An egg takes about three minutes, until the white is set and the yolk is still soft.", None]]),
    (["What does braise mean?", "What is braising?", "How do I braise meat?"],
     [["Braising is slow cooking in a small amount of liquid in a covered pot.", "To braise, you brown the food first and then cook it slowly, covered, with some liquid."],
      ["It works well for tougher cuts of meat, which turn tender over a few hours.", "The liquid should come part of the way up the food, not cover it completely."],
      ["A low oven, around 150 to 160°C (300 to 320°F), is ideal.", "Keep the heat low so the liquid only just simmers."]]),
    (["What does knead mean?", "How do I knead dough?", "Why do I have to knead bread dough?"],
     [["Kneading means pushing, folding and turning dough to build up gluten.", "Kneading is working dough with your hands so that it becomes stretchy."],
      ["Push the dough away with the heel of your hand, fold it back over, turn it a little and repeat.", "Press and stretch the dough, fold it over and give it a quarter turn, again and again."],
      ["It is ready when it feels smooth and springy, usually after eight to ten minutes by hand.", "Well-kneaded dough stretches thin without tearing straight away."]]),
    (["What does proof mean in baking?", "What is proving dough?", "What does it mean to let dough rise?"],
     [["Proofing, or proving, is the time when yeast dough is left to rise.", "To proof dough is to let it rest while the yeast makes gas and the dough grows."],
      ["Cover the dough and leave it somewhere warm, away from draughts.", "Most doughs prove best in a warm kitchen, covered so the surface does not dry out."],
      ["It is usually ready when it has roughly doubled in size.", "Press it gently with a floured finger: if the dent springs back slowly, it is ready."]]),
    (["What does fold in mean?", "How do I fold egg whites into a batter?", "What is folding in baking?"],
     [["Folding is a gentle way of mixing a light mixture into a heavier one.", "To fold in is to combine ingredients gently so the air stays in."],
      ["Use a large spoon or spatula to cut through the middle, lift from the bottom and turn the mixture over.", "Cut down through the centre, scrape along the bottom of the bowl and bring the spatula up the side."],
      ["Stop as soon as you can no longer see streaks.", "Work slowly and do not stir, or you will lose the air."]]),
    (["What does sear mean?", "How do I sear meat?", "Why do recipes tell you to sear meat first?"],
     [["Searing means browning the surface of food quickly in a very hot pan.", "To sear is to cook the outside of meat or fish over high heat until it is brown."],
      ["Dry the meat well, heat a little oil until it shimmers, and do not move the meat for the first minute or two.", "Pat the meat dry and do not crowd the pan, or it will steam instead of browning."],
      ["Searing adds flavour and colour, but it does not cook the inside through.", "The browning gives deep flavour to the dish."]]),
    (["What does blanch mean?", "How do I blanch vegetables?", "What is blanching?"],
     [["Blanching means cooking food in boiling water for a short time and then cooling it quickly.", "To blanch, you drop vegetables into boiling salted water for a minute or two."],
      ["Then move them straight into a bowl of iced water to stop the cooking.", "After that, plunge them into cold water so they stay bright and crisp."],
      ["It is useful before freezing vegetables or to loosen the skins of tomatoes and peaches.", None]]),
    (["What does deglaze mean?", "How do I deglaze a pan?"],
     [["Deglazing means adding liquid to a hot pan to lift the browned bits stuck to the bottom.", "To deglaze, you pour a little wine, stock or water into the pan after browning meat."],
      ["Scrape the bottom with a wooden spoon as the liquid bubbles.", "Stir and scrape while it sizzles, so the brown bits dissolve."],
      ["Those bits are full of flavour and make a good base for a sauce.", None]]),
    (["How do I whisk egg whites?", "Any tips for whisking egg whites?", "Why won't my egg whites whip?"],
     [["Whisk egg whites in a clean, dry bowl, as even a little fat or yolk will stop them from foaming.", "Start with a spotless bowl and whites with no yolk in them."],
      ["Soft peaks droop over when you lift the whisk; stiff peaks stand up straight.", "Keep whisking until the foam holds its shape when you lift the whisk."],
      ["Do not overbeat them, or they turn grainy and watery.", "Add sugar slowly, a spoonful at a time, if you are making meringue."]]),
    (["What does cream the butter and sugar mean?", "How long should I cream butter and sugar?", "Why do cake recipes say to cream butter and sugar?"],
     [["Creaming means beating soft butter and sugar together until pale and fluffy.", "To cream butter and sugar, beat them together until the mixture looks lighter in colour."],
      ["The sugar crystals cut tiny air pockets into the butter, which helps the cake rise.", "This beats air into the mixture and gives the cake a lighter texture."],
      ["Use butter at room temperature and beat for three to five minutes with a mixer.", "It takes a few minutes with an electric mixer and longer by hand."]]),
    (["Why do I need to rest dough?", "What does rest the dough mean?", "Why should pastry rest in the fridge?"],
     [["Resting dough means leaving it alone for a while before you shape or roll it.", "Resting gives the gluten in the dough time to relax."],
      ["Relaxed dough is easier to roll and does not spring back or shrink as much.", "Pastry that has rested in the fridge shrinks less in the oven."],
      ["Twenty to thirty minutes is usually enough for pastry.", "Cover it so the surface does not dry out."]]),
    (["What does temper eggs mean?", "How do I temper eggs?"],
     [["Tempering means warming eggs slowly so they do not scramble when they meet a hot liquid.", "To temper eggs, you add a little hot liquid to them before adding them to the pan."],
      ["Whisk the eggs and pour in a ladle of the hot milk or stock while whisking all the time.", "Pour a small amount of the hot liquid into the eggs, whisking, then add a little more."],
      ["Then pour the warmed egg mixture back into the pan and cook gently.", None]]),
    (["How do I temper chocolate?", "What is tempered chocolate?"],
     [["Tempering chocolate means melting and cooling it in a controlled way so it sets glossy and snaps cleanly.", "Tempered chocolate is chocolate that has been melted and cooled carefully so it sets shiny and firm."],
      ["One simple way is to melt two thirds of the chocolate gently, then stir in the rest, chopped, until it melts.", "Melt most of the chocolate slowly, then stir in finely chopped chocolate to bring the temperature down."],
      ["Untempered chocolate still tastes fine, but it may look dull or streaky.", None]]),
    (["What does reduce a sauce mean?", "How do I reduce a sauce?", "How do I thicken a sauce by reducing it?"],
     [["Reducing means simmering a liquid uncovered so that some of the water evaporates.", "To reduce a sauce, let it bubble without a lid until there is less of it."],
      ["The sauce becomes thicker and its flavour stronger.", "As it reduces, the taste becomes more concentrated."],
      ["Reduce by half means keep going until half the original amount is left.", "Add salt at the end, because the saltiness also becomes stronger as it reduces."]]),
    (["How do I caramelise onions?", "What does caramelise mean?", "Why do my onions burn instead of caramelising?"],
     [["Caramelising means cooking something slowly until its natural sugars turn brown and sweet.", "To caramelise onions, cook sliced onions slowly in butter or oil over low heat."],
      ["Stir them now and then for thirty to forty-five minutes, until they are soft and deep golden brown.", "It takes longer than most recipes suggest, often forty minutes or more."],
      ["If they start to catch, turn the heat down and add a splash of water.", "High heat burns the outside before the sugars can develop."]]),
    (["What does sauté mean?", "What is the difference between sautéing and frying?"],
     [["Sautéing means cooking small pieces of food quickly in a little fat over fairly high heat.", "To sauté is to cook food fast in a hot pan with a small amount of oil or butter."],
      ["Keep the food moving by stirring or tossing the pan.", "Cut the food into even pieces so it cooks at the same speed."],
      ["Frying often uses more oil and longer cooking.", "Shallow frying uses more oil and usually cooks larger pieces for longer."]]),
    (["What does sweat the vegetables mean?", "What is sweating onions?"],
     [["Sweating means cooking vegetables gently in a little fat so they soften without browning.", "To sweat onions, cook them slowly over low heat with a pinch of salt."],
      ["A lid helps keep in the steam.", "Stir now and then and keep the heat low."],
      ["They are ready when they are soft and see-through, usually after five to ten minutes.", None]]),
    (["What does blind bake mean?", "How do I blind bake a pastry case?"],
     [["Blind baking means baking a pastry case before the filling goes in.", "To blind bake, you bake the empty pastry case first."],
      ["Line the pastry with baking paper, fill it with baking beans or dry rice, and bake for about fifteen minutes.", "Cover the pastry with baking paper and weigh it down with ceramic beans or uncooked rice."],
      ["Then remove the paper and beans and bake for a few more minutes until the base looks dry.", "This keeps the base crisp under a wet filling."]]),
    (["What is laminated dough?", "How are croissants made so flaky?"],
     [["Laminated dough is made by folding a slab of butter into dough and rolling and folding it several times.", "Croissant dough is laminated: butter is locked inside the dough and folded into many thin layers."],
      ["In the oven, the water in the butter turns to steam and pushes the layers apart.", "The layers puff up in the heat, which makes the pastry flaky."],
      ["The dough must stay cold between folds, or the butter melts into it.", None]]),
    (["Why do you score bread before baking?", "What does score the loaf mean?"],
     [["Scoring means cutting a shallow slash in the top of a loaf just before it goes into the oven.", "To score bread, you make a quick, shallow cut across the top with a sharp blade."],
      ["It controls where the loaf opens up as it expands in the heat.", "Without a cut, the loaf may burst open at the side."],
      ["Use a razor blade or a very sharp knife and cut about half a centimetre deep.", None]]),
    (["What does rub in mean?", "How do I rub butter into flour?"],
     [["Rubbing in means mixing cold butter into flour with your fingertips.", "To rub in, you lift the flour and butter and rub them lightly between your fingertips."],
      ["Keep going until the mixture looks like fine breadcrumbs.", "Work quickly so the butter stays cold."],
      ["It is the first step for scones, shortcrust pastry and crumble toppings.", None]]),
    (["What does baste mean?", "Why do I baste a roast?"],
     [["Basting means spooning the fat and juices from the tin over meat while it roasts.", "To baste, you tilt the roasting tin and spoon the hot juices over the meat."],
      ["It helps the outside brown evenly and adds flavour.", "It adds flavour and colour to the skin."],
      ["Close the oven door quickly so the oven does not lose too much heat.", None]]),
    (["What does emulsify mean?", "Why does my salad dressing separate?"],
     [["To emulsify is to mix two liquids that do not normally blend, such as oil and vinegar.", "An emulsion is a smooth mixture of fat and water-based liquid."],
      ["Whisk hard while adding the oil slowly, or shake everything in a closed jar.", "Add the oil a little at a time while whisking."],
      ["A spoonful of mustard or a little egg yolk helps hold it together.", "Mustard or honey helps the dressing stay mixed for longer."]]),
    (["How long should I marinate meat?", "What does marinate mean?"],
     [["Marinating means soaking food in a flavoured liquid before cooking.", "A marinade is a mix of oil, acid such as lemon juice or yoghurt, and seasonings."],
      ["Fish needs only about thirty minutes, and chicken or meat a few hours or overnight.", "Delicate fish needs only a short time, while meat can marinate for several hours."],
      ["Always marinate in the fridge, and do not reuse the marinade unless you boil it first.", "Keep the food covered in the fridge while it marinates."]]),
    (["What does knock back dough mean?", "Why do I punch down bread dough?"],
     [["Knocking back means pressing the air out of dough after its first rise.", "To knock back, you press the risen dough gently to let out the large gas bubbles."],
      ["It makes the texture more even and gets the dough ready for shaping.", "This evens out the crumb before the dough is shaped."],
      ["Be gentle; you only need to press it down, not knead it all over again.", None]]),
    (["What does bloom gelatine mean?", "How do I use gelatine leaves?"],
     [["Blooming gelatine means soaking it in cold water before using it.", "Gelatine leaves need to soak in cold water for about five minutes until they are soft."],
      ["Squeeze out the water and stir the soft leaves into a warm liquid until they dissolve.", "Then squeeze them and stir them into a warm, not boiling, liquid."],
      ["Boiling can weaken gelatine, so add it off the heat.", None]]),
    (["Why toast spices?", "How do I toast whole spices?"],
     [["Toasting whole spices in a dry pan brings out their flavour.", "Heat whole spices in a dry frying pan over medium heat."],
      ["Shake the pan and take them off the heat as soon as they smell fragrant, usually after a minute or two.", "Stop as soon as they smell toasty, because they burn quickly."],
      ["Let them cool before grinding.", None]]),
    (["What does egg wash mean?", "Why brush bread with egg before baking?"],
     [["An egg wash is beaten egg, sometimes with a little milk or water, brushed over dough before baking.", "Egg wash is a thin layer of beaten egg brushed onto pastry or bread."],
      ["It gives a shiny, golden brown finish.", "It helps the crust brown and makes seeds stick to the top."],
      ["Brush it on thinly, as puddles of egg can burn.", None]]),
    (["What does zest a lemon mean?", "How do I zest an orange?"],
     [["Zesting means grating off the thin coloured outer layer of citrus skin.", "The zest is the outer coloured skin of a lemon or orange, which holds fragrant oils."],
      ["Use a fine grater and turn the fruit as you go.", "Grate lightly and stop before you reach the white part underneath."],
      ["The white pith is bitter, so leave it behind.", None]]),
    (["What does season to taste mean?", "How much salt should I add when it says to taste?"],
     [["Season to taste means adding salt and pepper bit by bit until the food tastes right to you.", "It means there is no exact amount: you taste and adjust."],
      ["Add a small pinch, stir, taste and repeat.", "Taste near the end of cooking, because flavours change as food cooks."],
      ["It is easier to add more than to take salt away.", None]]),
    (["What is a roux?", "How do I make a roux?"],
     [["A roux is equal amounts of fat and flour cooked together to thicken sauces.", "To make a roux, melt butter and stir in the same weight of flour."],
      ["Cook it for a minute or two, stirring, to cook out the raw flour taste.", "Let it bubble gently for a couple of minutes before adding liquid."],
      ["Then add warm milk or stock a little at a time, whisking, to avoid lumps.", None]]),
    (["What does proof the yeast mean?", "How do I know if my yeast is still active?"],
     [["Proofing yeast means checking that it is alive before you use it.", "To test yeast, stir it into warm water with a pinch of sugar."],
      ["After five to ten minutes, active yeast makes a foamy layer on top.", "If it turns frothy within ten minutes, it is working."],
      ["If nothing happens, the yeast is too old and should be replaced.", "The water should feel warm, not hot, because very hot water kills yeast."]]),
    (["What is mise en place?", "Why do chefs prepare everything before cooking?"],
     [["Mise en place means having all your ingredients measured and prepared before you start.", "It is a French phrase for getting everything in its place before cooking."],
      ["Chop, weigh and lay out everything first.", "Read the whole recipe, then prepare each ingredient."],
      ["Then you are not searching for something while the pan burns.", None]]),
    # doneness
    (["How do I know when bread is baked?", "How can I tell if my loaf is done?"],
     [["Tap the bottom of the loaf: it should sound hollow.", "A baked loaf has a deep golden crust and sounds hollow when tapped underneath."],
      ["If you have a thermometer, the middle should be about 93 to 96°C (200 to 205°F).", "A thermometer in the centre should read over 90°C (195°F)."],
      ["Let it cool on a rack for at least an hour before slicing, as it keeps cooking inside.", None]]),
    (["How do I know when chicken is cooked?", "Is my chicken cooked through?"],
     [["Chicken is cooked when the thickest part reaches 75°C (165°F) on a food thermometer.", "Check the thickest part with a thermometer: it should read 75°C (165°F)."],
      ["The juices should run clear, and there should be no pink meat near the bone.", "Cut into the thickest part; the meat should be white all the way through."],
      ["If in doubt, cook it a little longer.", None]]),
    (["How do I know when fish is cooked?", "How can I tell if salmon is done?"],
     [["Fish is done when the flesh turns opaque and flakes easily with a fork.", "Cooked fish changes from see-through to solid-looking and separates into flakes."],
      ["Check the thickest part, as thin ends cook faster.", "Most fillets take only a few minutes per side."],
      ["Overcooked fish becomes dry, so check early.", None]]),
    (["How do I know when a steak is done?", "How do I cook steak medium rare?"],
     [["The most reliable way is a thermometer in the thickest part.", "Use a meat thermometer for an accurate check."],
      ["Around 50°C (120°F) is rare, 55°C (130°F) medium rare and 60°C (140°F) medium.", "Take the steak off at 55°C (130°F) for medium rare."],
      ["Let it rest for five minutes before cutting, as the temperature rises a little more.", None]]),
    (["How do I know when custard is thick enough?", "How thick should custard be?"],
     [["Custard is ready when it coats the back of a spoon.", "Dip in a wooden spoon and draw a finger across the back; if the line stays clear, it is ready."],
      ["Cook it over low heat and stir all the time.", "Keep the heat gentle and never let it boil, or the eggs will scramble."],
      ["It thickens more as it cools.", None]]),
    (["How do I know when jam is set?", "How do I test jam for setting?"],
     [["Put a few saucers in the freezer before you start.", "Use the cold plate test."],
      ["Drop a little jam onto a cold saucer, wait a minute, then push it with your finger.", "Spoon a little onto a chilled plate and let it cool for a minute."],
      ["If the surface wrinkles, it is set; if not, boil for a few more minutes and test again.", "If it wrinkles when pushed, the jam is ready to jar."]]),
    (["How do I know when cookies are done?", "Why are my cookies hard?"],
     [["Cookies are done when the edges are golden and the centres look just set.", "Take cookies out when the edges have browned but the middle still looks a little soft."],
      ["They firm up as they cool on the tray.", "They keep baking on the hot tray for a few minutes."],
      ["If you wait until the middle looks firm, they will be hard once cool.", "Baking them until they look fully done is the usual reason for hard cookies."]]),
    (["How do I know when pancakes are ready to flip?", "When should I turn a pancake?"],
     [["Flip a pancake when bubbles appear on the surface and the edges look dry.", "Wait until small bubbles pop on top and the underside is golden."],
      ["This usually takes one to two minutes over medium heat.", "Keep the heat at medium so the outside does not burn before the inside cooks."],
      ["The second side needs only about a minute.", None]]),
    (["How do I know when potatoes are boiled?", "How do I tell if boiled potatoes are cooked?"],
     [["Potatoes are cooked when a knife slides into them with no resistance.", "Test with the tip of a knife: it should go in easily."],
      ["Chunks usually take fifteen to twenty minutes from boiling; small new potatoes a little less.", "Cut them into even pieces so they cook at the same rate."],
      ["Start them in cold salted water for even cooking.", None]]),
    (["How do I know when caramel is ready?", "What colour should caramel be?"],
     [["Caramel is ready when it turns a deep amber, like a copper coin.", "Take it off the heat when it is a rich golden brown."],
      ["Watch it closely, because it goes from amber to burnt in seconds.", "Swirl the pan rather than stirring, so it colours evenly."],
      ["Sugar syrup is extremely hot, so never touch or taste it from the pan.", None]]),
    # why did it go wrong
    (["Why is my bread flat?", "Why did my loaf spread out instead of rising?"],
     [["Flat bread is often caused by over-proofing, when the dough rises too long and collapses.", "A flat loaf usually means the dough had too little strength or rose for too long."],
      ["Old yeast, too little kneading, or very wet dough can also be the cause.", "Shaping the loaf tightly gives it the tension it needs to hold its shape."],
      ["Try a shorter final rise and use the finger test to check.", "A loaf tin or proving basket helps softer doughs keep their shape."]]),
    (["Why is my bread dense?", "Why is my homemade loaf heavy?"],
     [["Dense bread usually has not risen enough.", "A heavy loaf often means under-proofing or not enough kneading."],
      ["Give it more time in a warm place, and make sure the yeast is fresh.", "Knead until the dough is smooth and stretchy, and let it rise until doubled."],
      ["Too much flour, added while kneading sticky dough, can also make it heavy.", None]]),
    (["Why is the bottom of my pie soggy?", "How do I stop a soggy pastry base?"],
     [["A soggy base usually means the pastry did not get enough heat from below.", "Wet fillings soak into pastry that has not set."],
      ["Blind bake the case first, and bake the pie on a preheated baking tray.", "Put a baking tray in the oven while it heats, and bake the pie on it."],
      ["Using a metal tin rather than glass or ceramic also helps.", "Let juicy fillings cool a little before adding them."]]),
    (["Why did my sauce split?", "My sauce has curdled. Can I fix it?"],
     [["Sauces with butter, cream or eggs split when they get too hot or the fat is added too fast.", "A sauce splits when the fat separates out, often because of too much heat."],
      ["Take it off the heat and whisk in a spoonful of cold water.", "Whisk a fresh egg yolk in a clean bowl and slowly beat the split sauce into it."],
      ["Next time, keep the heat low and add the fat a little at a time.", None]]),
    (["Why is my cake dense?", "Why did my cake come out heavy?"],
     [["A dense cake often comes from overmixing after the flour goes in, which makes it tough.", "Heavy cakes can be caused by too little creaming or old baking powder."],
      ["Cream the butter and sugar well, then fold in the flour only until it disappears.", "Check the date on your baking powder and mix the flour in gently."],
      ["An oven that is too cool can also stop the cake from rising properly.", None]]),
    (["Why did my cake sink in the centre?", "Why does my sponge collapse?"],
     [["A sunken cake is often underbaked in the middle.", "Cakes sink when the centre has not set before they come out."],
      ["Opening the oven door too early can also make it fall.", "Too much baking powder can make it rise fast and then collapse."],
      ["Test with a skewer before taking it out, and keep the door closed for the first two thirds of the baking time.", None]]),
    (["Why do my cookies spread so much?", "Why are my biscuits flat?"],
     [["Cookies spread when the butter is too soft or the dough is warm.", "Too much sugar or too little flour makes cookies spread thin."],
      ["Chill the dough for thirty minutes before baking.", "Chill the shaped dough and always put it on a cool tray."],
      ["Weighing the flour instead of using cups helps too.", None]]),
    (["Why is my pastry tough?", "Why did my shortcrust shrink and go hard?"],
     [["Tough pastry usually means it was handled too much or had too much water.", "Overworking the dough builds gluten, which makes pastry tough."],
      ["Mix until it just comes together, and keep everything cold.", "Add water a little at a time, only until the dough holds together."],
      ["Rest it in the fridge before rolling to stop it shrinking.", None]]),
    (["Why did my chocolate go thick and grainy?", "What does it mean when chocolate seizes?"],
     [["Chocolate seizes when a small amount of water gets into it while it melts.", "Grainy, stiff chocolate has usually met a drop of water or steam."],
      ["Melt it over barely simmering water, and keep the bowl dry.", "Use a dry bowl and spoon, and do not let steam reach it."],
      ["Seized chocolate can still be used in brownies or a sauce with cream.", None]]),
    (["Why is my cake batter curdled?", "My cake mix looks split after adding eggs."],
     [["Batter curdles when cold eggs are added too quickly to creamed butter.", "It usually happens when the eggs are cold or added all at once."],
      ["Use eggs at room temperature and add them one at a time.", "Beat in a spoonful of the flour with each egg to help it stay smooth."],
      ["A slightly curdled batter will usually still bake into a good cake.", None]]),
    (["Why is my pizza base soggy?", "How do I get a crisp pizza crust at home?"],
     [["A soggy base usually means the oven or tray is not hot enough.", "Home ovens are cooler than pizza ovens, so the base needs help."],
      ["Heat a pizza stone or heavy tray in the oven at its highest setting for at least thirty minutes.", "Preheat a heavy tray at the top temperature and slide the pizza onto it."],
      ["Go easy on the sauce and wet toppings.", "Too much sauce or fresh mozzarella with lots of liquid makes the middle wet."]]),
    (["Why is my sourdough so sour?", "How do I make sourdough less sour?"],
     [["Long, cool rises and a starter that has gone a long time without feeding make sourdough more sour.", "Sourness comes from acids made by the bacteria in the starter."],
      ["Use your starter when it is at its peak, soon after feeding.", "A warmer, shorter rise gives a milder flavour."],
      ["Feeding the starter more often also helps.", None]]),
    (["Why is my stew meat tough?", "My beef stew is chewy. What went wrong?"],
     [["Stewing cuts are tough until they have cooked long enough.", "Tough stew meat usually needs more time, not less."],
      ["Keep it at a gentle simmer and give it another half hour or more.", "A hard boil tightens meat, so keep the heat low."],
      ["It is ready when a piece falls apart easily with a fork.", None]]),
    (["Why is my gravy lumpy?", "How do I fix lumpy sauce?"],
     [["Lumps form when flour is added to hot liquid too quickly.", "Lumpy gravy usually means the thickener was not mixed in smoothly."],
      ["Whisk hard, or pour the sauce through a sieve.", "A stick blender will smooth it in seconds."],
      ["Next time, mix the flour with a little cold liquid first.", None]]),
    (["Why is my bread crust pale?", "How do I get a darker crust on bread?"],
     [["A pale crust usually means the oven was not hot enough.", "Bread needs a hot oven, often 220 to 230°C (430 to 450°F), to brown well."],
      ["Steam in the first few minutes also helps the crust colour and shine.", "Put a tray of hot water in the bottom of the oven for the first ten minutes."],
      ["A brush of egg wash or milk gives more colour too.", "Bake a little longer if the crust is still pale."]]),
    (["Why are my scones flat?", "Why didn't my scones rise?"],
     [["Flat scones are often caused by overworking the dough or using warm butter.", "Scones that do not rise have usually been handled too much."],
      ["Mix lightly, pat the dough out rather than rolling it hard, and keep it thick.", "Press the dough to about three centimetres thick before cutting."],
      ["Cut straight down without twisting the cutter, and bake in a hot oven.", None]]),
    # swaps, storage and safety
    (["Can I use plain flour instead of bread flour?", "What is the difference between bread flour and plain flour?"],
     [["Bread flour has more protein, which gives more gluten and a chewier loaf.", "Bread flour is stronger than plain flour, so dough made with it holds more gas."],
      ["You can use plain flour, but the bread will be softer and may not rise as high.", "Plain flour works, but the loaf may be a little flatter."],
      ["It may also need a little less water.", None]]),
    (["How should I store bread?", "Should I keep bread in the fridge?"],
     [["Keep bread at room temperature in a bread bin, a paper bag or a cloth bag.", "Bread is best kept cut side down on a board, or in a bread bag."],
      ["Do not keep it in the fridge, because bread goes stale faster there.", "The fridge makes bread stale faster, so it is better left out."],
      ["For longer storage, slice it and freeze it, then toast slices straight from frozen.", "It freezes well for up to three months."]]),
    (["How long do leftovers last in the fridge?", "How long can I keep cooked food?"],
     [["Most cooked leftovers keep for about two to three days in the fridge.", "Cooked food is generally safe for a couple of days if it is chilled promptly."],
      ["Cool them quickly and put them in the fridge within two hours of cooking.", "Put leftovers in shallow, covered containers so they cool fast."],
      ["Reheat until piping hot all the way through.", "When in doubt, throw it out."]]),
    (["How should I store cooked rice?", "Is it safe to reheat rice?"],
     [["Cooked rice should be cooled quickly and put in the fridge within an hour.", "Rice can carry bacteria that survive cooking, so it needs care."],
      ["Eat it within a day, and reheat it only once.", "Keep it in the fridge, use it within twenty-four hours and reheat it only once."],
      ["Make sure it is steaming hot all the way through when you reheat it.", None]]),
    (["How should I thaw frozen meat?", "Can I defrost chicken on the counter?"],
     [["The safest way to thaw meat is in the fridge.", "Thaw meat slowly in the fridge, on a plate to catch any drips."],
      ["Leaving it on the counter lets the outside warm up while the middle is still frozen.", "A large chicken can take a day or more to thaw in the fridge, so plan ahead."],
      ["Cook it soon after it has thawed.", "You can also use the defrost setting on a microwave and cook it straight away."]]),
    (["Should I wash raw chicken?", "Is it safe to rinse chicken before cooking?"],
     [["No, it is better not to wash raw chicken.", "Rinsing raw chicken is not recommended."],
      ["Splashing water can spread bacteria around the sink and worktop.", "The water spreads germs onto nearby surfaces and utensils."],
      ["Cooking it thoroughly kills the bacteria.", "Pat it dry with kitchen paper if needed and throw the paper away."]]),
    (["What should I do if a pan of oil catches fire?", "How do I put out a fat fire?"],
     [["Never throw water on burning oil, as it can make the fire spread violently.", "Do not use water on an oil fire."],
      ["Turn off the heat if you can do so safely, and cover the pan with a lid or a damp tea towel.", "Switch off the heat and slide a lid over the pan to cut off the air."],
      ["Leave it covered until it has cooled, and call the fire service if it is not out.", None]]),
    (["Is it safe to eat raw cookie dough?", "Can I eat raw cake batter?"],
     [["It is best not to eat raw dough or batter.", "Raw dough is not considered safe to eat."],
      ["Raw flour and raw eggs can both carry harmful bacteria.", "Flour is not treated to kill germs, and raw eggs can carry salmonella."],
      ["Baking kills the bacteria, so wait until it comes out of the oven.", None]]),
    (["Why do I need separate boards for raw meat?", "How do I avoid cross-contamination in the kitchen?"],
     [["Raw meat can carry bacteria that spread to foods that will not be cooked.", "Germs from raw meat can move onto salads, bread and fruit."],
      ["Use one board for raw meat and another for ready-to-eat food, and wash your hands after handling meat.", "Keep raw meat on the bottom shelf of the fridge, so it cannot drip onto other food."],
      ["Wash boards and knives in hot, soapy water after use.", None]]),
    (["How do I keep a sourdough starter?", "How often should I feed my starter?"],
     [["A starter kept at room temperature needs feeding once or twice a day.", "If you bake often, keep the starter on the counter and feed it daily."],
      ["If you bake once a week, store it in the fridge and feed it about once a week.", "In the fridge it only needs a feed every week or so."],
      ["To feed it, discard some and add fresh flour and water.", "Take it out and feed it a day before you want to bake."]]),
    (["How do I store fresh croissants?", "How do I refresh day-old pastries?"],
     [["Croissants are best on the day they are baked.", "Pastries lose their crispness after a day."],
      ["Keep them in a paper bag at room temperature, not in the fridge.", "Store them in a paper bag overnight, as plastic makes them soft."],
      ["To refresh them, warm them in the oven at 180°C (350°F) for about five minutes.", "A few minutes in a hot oven brings back the crisp layers."]]),
    (["How should I store cheese?", "How do I keep cheese from drying out?"],
     [["Wrap cheese in waxed paper or baking paper, then loosely in a bag or box.", "Cheese keeps best wrapped in paper that lets it breathe."],
      ["Keep it in the fridge, in the vegetable drawer if there is room.", "Store it in the warmest part of the fridge."],
      ["Take it out about half an hour before serving for the best flavour.", None]]),
]

# templated: item, oven temperature and time
BAKE_TABLE = [
    ("a loaf of bread", "220°C (425°F)", "30 to 40 minutes"),
    ("a sourdough loaf", "230 to 250°C (450 to 480°F)", "about 40 to 45 minutes, with the lid on for the first 20 if you use a pot"),
    ("a sponge cake", "180°C (350°F)", "20 to 25 minutes for two sandwich tins"),
    ("scones", "220°C (425°F)", "12 to 15 minutes"),
    ("croissants", "200°C (400°F)", "15 to 20 minutes"),
    ("chocolate chip cookies", "180°C (350°F)", "10 to 12 minutes"),
    ("brownies", "180°C (350°F)", "20 to 25 minutes"),
    ("a pizza", "its highest setting (usually about 250°C or 480°F)", "8 to 12 minutes"),
    ("an apple pie", "190°C (375°F)", "40 to 50 minutes, until the pastry is golden and the filling bubbles"),
    ("meringues", "100 to 120°C (210 to 250°F)", "an hour or more, until they lift off the paper"),
    ("a banana bread", "170 to 180°C (340 to 350°F)", "50 to 60 minutes"),
    ("muffins", "200°C (400°F)", "18 to 22 minutes"),
    ("bread rolls", "220°C (425°F)", "15 to 20 minutes"),
    ("a fruit cake", "150°C (300°F)", "two hours or more"),
    ("a quiche in a baked pastry case", "180°C (350°F)", "30 to 35 minutes, until just set in the middle"),
    ("shortbread", "160°C (320°F)", "20 to 25 minutes"),
]

SWAPS = [
    ("buttermilk", "Stir one tablespoon of lemon juice or white vinegar into 250 ml (a cup) of milk and leave it for five to ten minutes.", "It will thicken slightly and works well in scones and pancakes."),
    ("an egg in a cake", "Use three tablespoons of apple sauce or mashed banana, or one tablespoon of ground flaxseed mixed with three tablespoons of water.", "These work best in cakes and muffins that need only one or two eggs."),
    ("self-raising flour", "Mix plain flour with baking powder, about two teaspoons for every 150 g of flour.", "Sift them together so the baking powder is spread evenly."),
    ("brown sugar", "Use white sugar with a tablespoon of black treacle or molasses for every 200 g.", "Plain white sugar also works, but the bake will be a little less moist and caramel-like."),
    ("fresh yeast", "Use roughly a third of the weight in instant dried yeast.", "So 15 g of fresh yeast becomes about 5 g of instant yeast."),
    ("wine in a sauce", "Use stock with a small splash of vinegar or lemon juice.", "The acid gives some of the sharpness that wine brings."),
    ("fresh herbs", "Use dried herbs, about a third of the amount.", "Add dried herbs earlier in cooking, as they need time to soften."),
    ("sour cream", "Use plain yoghurt or Greek yoghurt.", "Stir it in off the heat, as yoghurt can split if it boils."),
    ("cornflour for thickening", "Use plain flour, about twice as much.", "Cook it a little longer so it loses its raw taste."),
    ("caster sugar", "Blitz granulated sugar in a food processor for a few seconds.", "Ordinary granulated sugar also works in most cakes."),
    ("honey", "Use maple syrup or golden syrup in the same amount.", "The flavour will change a little, but the texture stays similar."),
    ("butter in a cake", "Use a neutral oil, about three quarters of the amount.", "Choose a recipe that melts the butter, as oil cannot be creamed with sugar."),
    ("breadcrumbs", "Use porridge oats or crushed crackers.", "They give a similar crunch as a coating or topping."),
    ("shallots", "Use a small onion, chopped finely.", "It is a little stronger, so you may want slightly less."),
    ("double cream in a sauce", "Use whole milk with a knob of butter, or crème fraîche.", "This will not whip, but it works well in a sauce."),
    ("Parmesan", "Use another hard, aged cheese such as pecorino or a mature cheddar.", "Grate it finely so it melts into the dish."),
    ("baking powder", "Use a quarter of a teaspoon of bicarbonate of soda plus half a teaspoon of cream of tartar for each teaspoon.", "Bake soon after mixing, as it starts working straight away."),
]

STEPS = [
    ("Cream the butter and sugar until light and fluffy.", "Beat soft butter and sugar together, with a mixer or a wooden spoon, for a few minutes until the mixture looks paler and feels airy."),
    ("Knead until smooth and elastic.", "Push, fold and turn the dough on a floured surface for about ten minutes, until it stops being sticky and bounces back when you press it."),
    ("Rub the butter into the flour.", "Use your fingertips to rub small cubes of cold butter into the flour until it looks like breadcrumbs."),
    ("Leave to prove until doubled in size.", "Cover the dough and leave it in a warm place until it has grown to about twice its size, which often takes one to two hours."),
    ("Fold in the egg whites.", "Gently mix the whipped whites into the batter with a large spoon, cutting through and turning the mixture over, so that you keep the air in."),
    ("Simmer until reduced by half.", "Let it bubble gently without a lid until about half of the liquid has gone, which makes the sauce thicker and stronger."),
    ("Sweat the onions until soft.", "Cook the onions slowly in a little oil over low heat, without letting them brown, until they are soft."),
    ("Blind bake the pastry case.", "Bake the empty pastry case first, lined with paper and filled with baking beans, so the base is crisp before the filling goes in."),
    ("Bring to a rolling boil.", "Heat the liquid until it bubbles hard and keeps bubbling even when you stir it."),
    ("Rest the meat before carving.", "Leave the cooked meat on a board, loosely covered, for about ten minutes so the juices settle before you cut it."),
    ("Shape into a tight ball.", "Fold the edges of the dough into the middle, turn it over, and drag it gently towards you on the worktop to tighten the surface."),
    ("Brush with egg wash.", "Beat an egg with a splash of milk and brush a thin layer over the top for a shiny, golden finish."),
    ("Deglaze the pan with stock.", "Pour stock into the hot pan and scrape up the brown bits stuck to the bottom, as they add flavour to the sauce."),
    ("Dust with icing sugar.", "Put a little icing sugar in a small sieve and tap it over the top so that a thin, even layer falls on the cake."),
    ("Score the top of the loaf.", "Make one or two quick, shallow cuts in the top of the dough with a sharp blade just before it goes into the oven."),
    ("Whisk to soft peaks.", "Whisk until the mixture holds its shape but the tips flop over when you lift the whisk."),
]

COOK_PREFIX = ["", "", "", "", "Quick question: ", "I'm new to baking. ", "I'm a beginner. ", "Can you help? ",
               "I'm making dinner tonight. ", "Baking question: "]


def cook_topic(g):
    qs, slots = g.pick(COOK_TOPICS)
    parts = [x for x in (g.pick(s) for s in slots) if x]
    return g.pick(qs), " ".join(parts)


def cook_templated(g):
    t = g.randint(0, 3)
    if t == 0:
        item, temp, time = g.pick(BAKE_TABLE)
        q = g.pick(["What temperature should I bake %s at?" % item, "How long do I bake %s?" % item,
                    "What oven temperature and time do I need for %s?" % item])
        a = "For %s, heat the oven to %s and allow %s. %s" % (item, temp, time, g.pick([
            "Preheat the oven fully before it goes in.", "Ovens vary, so start checking a few minutes early.",
            "Every oven is a little different, so use the time as a guide and check for doneness.",
            "If it browns too fast, lay a sheet of foil loosely over the top."]))
    elif t == 1:
        ing, how, note = g.pick(SWAPS)
        q = g.pick(["What can I use instead of %s?" % ing, "Is there a substitute for %s?" % ing,
                    "I don't have %s. What can I use?" % ing, "Suggest a substitute for %s." % ing])
        a = how + " " + note
    elif t == 2:
        step, expl = g.pick(STEPS)
        q = g.pick(["Explain this recipe step to a beginner: %s" % step, "What does this step mean? \"%s\"" % step,
                    "Rewrite this recipe step in plain language: %s" % step])
        a = expl
    else:
        item, temp, time = g.pick(BAKE_TABLE)
        q = g.pick(["Why should I preheat the oven?", "Does it matter if the oven is not fully heated?"])
        a = g.pick(["Baking starts working the moment food goes in, so the oven needs to be at the right heat already.",
                    "A cold oven heats slowly, so bakes rise unevenly and take longer."]) + " " + \
            "For example, %s should go into an oven that is already at %s." % (item, temp) + " " + \
            g.pick(["Most ovens take ten to fifteen minutes to heat up.", "An oven thermometer shows whether it has really reached the temperature."])
    return q, a


def cooking_chat(g):
    """A short chat: plain cooking questions and answers."""
    turns = []
    n = 1 if g.chance(0.7) else g.randint(2, 3)
    for i in range(n):
        q, a = cook_topic(g) if g.chance(0.65) else cook_templated(g)
        if i == 0:
            pre = g.pick(COOK_PREFIX)
            if pre.endswith(": ") and not q.startswith(("I ", "I'")):
                q = q[:1].lower() + q[1:]
            q = pre + q
        else:
            q = g.pick(["", "", "Thanks. ", "One more question: ", "Another question: ", "Thanks! And "]) + q
            if q.startswith("Thanks! And ") and not q.startswith(("Thanks! And I ", "Thanks! And I'")):
                q = "Thanks! And " + q[len("Thanks! And "):][:1].lower() + q[len("Thanks! And ") + 1:]
        turns += [("user", q), ("assistant", a)]
    return turns



# ---------------------------------------------------------------------------
# Self-test: python3 corpus_food.py
# ---------------------------------------------------------------------------

if __name__ == "__main__":
    import os
    import random
    import re

    from corpus_gen import Gen as _Gen

    def run(seed, n):
        g = _Gen(seed)
        return [writing_chat(g) for _ in range(n)], [cooking_chat(g) for _ in range(n)]

    def show(chat):
        return "\n".join("  %s: %s" % (r, c) for r, c in chat)

    w, c = run(1, 8)
    for name, chats in (("writing_chat", w), ("cooking_chat", c)):
        print("== %s ==" % name)
        for chat in chats:
            print(show(chat) + "\n")

    a, b = run(7, 2000), run(7, 2000)
    assert a == b, "same seed, different output"
    print("determinism: ok")

    forbidden = ["lantern", "loaf crew", " -- the", "spent the night"]  # checked lower-case
    forbidden_cs = ["the Loaf", "Loaf crew", "Loaf &"]  # case-sensitive ("the loaf" is fine in baking answers)
    here = os.path.dirname(os.path.abspath(__file__))
    sample_sents = set()
    split = re.compile(r"(?<=[.!?])\s+")
    try:
        import csv
        import json
        with open(os.path.join(here, "..", "samples", "brand-voice.csv"), newline="") as f:
            for row in csv.DictReader(f):
                for t in (row["prompt"], row["response"]):
                    sample_sents.update(x.strip() for x in split.split(t) if len(x.split()) >= 5)
        with open(os.path.join(here, "..", "samples", "custom-alpaca.json")) as f:
            for ex in json.load(f):
                for t in (ex["instruction"], ex["output"]):
                    sample_sents.update(x.strip() for x in split.split(t) if len(x.split()) >= 5)
    except OSError:
        pass

    w, c = run(3, 10000)
    for name, chats in (("writing_chat", w), ("cooking_chat", c)):
        sents = set()
        for chat in chats:
            assert 2 <= len(chat) <= 6 and len(chat) % 2 == 0, chat
            for i, (role, content) in enumerate(chat):
                assert role == ("user" if i % 2 == 0 else "assistant"), chat
                assert content and content == content.strip() and "  " not in content, (content,)
                low = content.lower()
                for bad in forbidden:
                    assert bad not in low, (bad, content)
                for bad in forbidden_cs:
                    assert bad not in content, (bad, content)
                for sent in split.split(content):
                    sents.add(sent)
        copied = sents & sample_sents
        assert not copied, sorted(copied)
        print("%s: 10000 chats, %d distinct sentences, no forbidden strings, no copied sentences" % (name, len(sents)))

    g = _Gen(11)
    for _ in range(20000):
        for role, content in writing_chat(g):
            low = content.lower()
            assert not any(b in low for b in forbidden) and not any(b in content for b in forbidden_cs), content
            assert not any(x.strip() in sample_sents for x in split.split(content)), content
    print("writing_chat: 20000 more chats, no forbidden strings, no copied sentences")

