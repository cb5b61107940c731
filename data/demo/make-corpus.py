#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# make-corpus.py: writes the pretraining corpus of Whetstone's built-in demo
# model.  Every sentence comes from the grammars and word lists in this file,
# written for Whetstone; there is no third-party text.  Python 3 standard
# library only; the same --seed and --size-mb give byte-identical files.
#
#   python3 data/demo/make-corpus.py --out _build/demo [--seed 8] [--size-mb 10]
#                                    [--domain-share 0]
#
# Writes OUT/train.jsonl and OUT/val.jsonl.  Each line is either
#   {"text": "..."}                                 a short story
#   {"messages": [{"role": ..., "content": ...}]}   a short chat (ChatML roles)
#
# --domain-share makes that fraction of the examples domain chats instead,
# from corpus_food.py, corpus_support.py and corpus_sql.py beside this file:
# the second stage of the demo model's pretraining (see README.md).

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_food  # noqa: E402
from corpus_gen import Gen, an, cap, join_list, pick_weighted  # noqa: E402
import corpus_sql  # noqa: E402
import corpus_support  # noqa: E402

# ---------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------

GIRL_NAMES = """Mia Lily Emma Zoe Ava Sara Nora Ella Ruby Maya Lucy Anna Rosa Ivy Hana
Leah Chloe Amy Grace Jade Kira Lena Nina Olive Pia Rita Tess Vera Wren Yara Ada Bea
Cora Dina Elsa Fay Gina Hope Iris June Kate Layla Mina Noor Opal Priya Rose Sofia
Tara Uma Violet Willa Zara Amara Aisha Mei Sana Lucia Eva Amelia Hazel Poppy Daisy
Molly Holly Clara Freya Isla Millie Esme Alice Beth Jenny Kim Lola Megan Nell Sally
Asha Bella Celia Dora Edie Fern Gwen Heidi Imani Joy Lara Maud Nadia Petra Rhea""".split()

BOY_NAMES = """Tom Ben Sam Leo Max Jack Finn Noah Omar Luca Eli Jake Ravi Tim Dan Alex
Owen Ryan Hugo Ivan Joe Kai Liam Milo Nico Oscar Pete Raj Seth Theo Umar Victor Will
Yusuf Zack Adam Bruno Carl Dev Ethan Felix George Harry Isaac Jonah Kenji Louis Mark
Ned Ollie Paul Rory Sid Toby Arlo Jasper Rafi Kofi Tariq Arjun Mateo Ali Chen Jin
Marco Danny Billy Charlie Freddie Archie Abel Basil Cyrus Dylan Emil Frank Gus Hamid
Idris Jonas Kit Luis Miles Nate Otto Pablo Reuben Simon Tomas Vik Wes""".split()

PET_NAMES = """Pip Bun Tuft Whiskers Patch Dot Biscuit Pepper Clover Bramble Nutmeg
Pebble Button Sunny Mo Fuzz Tiny Rusty Ginger Ziggy Coco Bean Marble Moss Acorn
Puddle Honey Sparky Bubbles Pickle Noodle Socks Toffee Maple Juniper Sprout Rolo
Dusty Flick Hops Wiggle Crumble Barley Pudding Sage Thistle""".split()

ANIMALS = """rabbit fox bear mouse owl duck frog cat dog puppy kitten squirrel hedgehog
turtle bird pig lamb goat horse deer badger otter beaver penguin lion elephant monkey
giraffe tiger hen mole robin crow snail bee ant""".split()

# Facts about animals: kind, plural, sound, food, home, legs, baby.
ANIMAL_FACTS = [
    ("cow", "cows", "moo", "grass and hay", "on a farm", 4, "calf"),
    ("dog", "dogs", "woof", "dog food, meat and bones", "with people in houses", 4, "puppy"),
    ("cat", "cats", "meow", "fish, meat and cat food", "with people in houses", 4, "kitten"),
    ("sheep", "sheep", "baa", "grass", "in fields on a farm", 4, "lamb"),
    ("duck", "ducks", "quack", "seeds, plants and small bugs", "near ponds and rivers", 2, "duckling"),
    ("horse", "horses", "neigh", "grass, hay and oats", "in fields and stables", 4, "foal"),
    ("pig", "pigs", "oink", "grain, fruit and vegetables", "on a farm", 4, "piglet"),
    ("hen", "hens", "cluck", "seeds, grain and worms", "in a hen house on a farm", 2, "chick"),
    ("owl", "owls", "hoot", "mice and insects", "in trees and old barns", 2, "owlet"),
    ("frog", "frogs", "croak", "flies and other insects", "near ponds", 4, "tadpole"),
    ("lion", "lions", "roar", "meat", "on the grassy plains", 4, "cub"),
    ("bear", "bears", "growl", "berries, fish, nuts and honey", "in forests and caves", 4, "cub"),
    ("goat", "goats", "bleat", "grass, leaves and hay", "on farms and hills", 4, "kid"),
    ("mouse", "mice", "squeak", "seeds, grain and cheese crumbs", "in small holes and fields", 4, "pup"),
    ("bee", "bees", "buzz", "nectar and pollen from flowers", "in a hive", 6, "larva"),
    ("rabbit", "rabbits", "make almost no sound", "grass, clover and carrots", "in burrows under the ground", 4, "kit"),
    ("fox", "foxes", "yip", "mice, berries and insects", "in dens in the woods", 4, "kit"),
    ("deer", "deer", "bleat", "leaves, grass and acorns", "in forests and meadows", 4, "fawn"),
    ("squirrel", "squirrels", "chatter", "nuts, seeds and acorns", "in nests high in trees", 4, "kit"),
    ("elephant", "elephants", "trumpet", "grass, leaves, bark and fruit", "on the savanna and in forests", 4, "calf"),
    ("penguin", "penguins", "squawk", "fish and krill", "on icy coasts", 2, "chick"),
    ("spider", "spiders", "make no sound", "flies and other small insects", "in webs", 8, "spiderling"),
    ("ant", "ants", "make no sound", "seeds, sugar and tiny insects", "in nests under the ground", 6, "larva"),
    ("whale", "whales", "sing", "fish and tiny sea animals", "in the ocean", 0, "calf"),
    ("goose", "geese", "honk", "grass and seeds", "near lakes and fields", 2, "gosling"),
    ("monkey", "monkeys", "chatter", "fruit, leaves and insects", "in trees in warm forests", 4, "baby"),
    ("turtle", "turtles", "make almost no sound", "plants, worms and small fish", "in ponds and the sea", 4, "hatchling"),
    ("crow", "crows", "caw", "seeds, bugs and scraps", "in trees near fields and towns", 2, "chick"),
    ("snake", "snakes", "hiss", "mice, frogs and eggs", "in grass, rocks and trees", 0, "snakelet"),
    ("donkey", "donkeys", "hee-haw", "hay and grass", "on farms", 4, "foal"),
]

COLORS = "red blue green yellow orange purple pink brown white black gray golden silver".split()

# Objects: (singular, plural)
OBJECTS = [
    ("ball", "balls"), ("kite", "kites"), ("hat", "hats"), ("teddy bear", "teddy bears"),
    ("scarf", "scarves"), ("toy car", "toy cars"), ("key", "keys"), ("cup", "cups"),
    ("book", "books"), ("shell", "shells"), ("marble", "marbles"), ("sock", "socks"),
    ("glove", "gloves"), ("crayon", "crayons"), ("drum", "drums"), ("toy boat", "toy boats"),
    ("robot", "robots"), ("doll", "dolls"), ("map", "maps"), ("whistle", "whistles"),
    ("umbrella", "umbrellas"), ("necklace", "necklaces"), ("backpack", "backpacks"),
    ("ribbon", "ribbons"), ("button", "buttons"), ("blanket", "blankets"),
    ("lunch box", "lunch boxes"), ("pencil", "pencils"), ("spoon", "spoons"),
    ("bell", "bells"), ("puzzle piece", "puzzle pieces"), ("notebook", "notebooks"),
    ("flashlight", "flashlights"), ("wooden train", "wooden trains"), ("rock", "rocks"),
    ("feather", "feathers"), ("coin", "coins"), ("sticker", "stickers"), ("yo-yo", "yo-yos"),
    ("jar", "jars"), ("boot", "boots"), ("mitten", "mittens"), ("bracelet", "bracelets"),
]

OBJ_ADJ = """red blue green yellow little big shiny old new soft striped spotted
favorite tiny round bright purple wooden special""".split()

PLACES = {
    # name: (how to say "at it", things there)
    "park": ("at the park", ["the swings", "the big oak tree", "the pond", "the slide", "the sandbox", "the bench"]),
    "beach": ("at the beach", ["the sand", "the waves", "the rocks", "the sand dunes", "the little pier", "the rock pools"]),
    "forest": ("in the forest", ["the tall trees", "a mossy log", "the stream", "the ferns", "an old stump", "the path"]),
    "garden": ("in the garden", ["the flower beds", "the old shed", "the vegetable patch", "the apple tree", "the fence", "the bird bath"]),
    "school": ("at school", ["the playground", "the classroom", "the library corner", "the coat hooks", "the music room", "the lunch hall"]),
    "farm": ("on the farm", ["the barn", "the hay bales", "the fields", "the duck pond", "the tractor", "the hen house"]),
    "market": ("at the market", ["the fruit stall", "the flower stall", "the bread stall", "the crowd", "the fish stall", "the big clock"]),
    "river": ("by the river", ["the muddy bank", "the stepping stones", "the reeds", "the old bridge", "the willow tree", "the boats"]),
    "hill": ("on the hill", ["the long grass", "the top of the hill", "the windmill", "the rocks", "the wild flowers", "the old gate"]),
    "meadow": ("in the meadow", ["the tall grass", "the daisies", "the butterflies", "the little stream", "the hedge", "the clover"]),
    "kitchen": ("in the kitchen", ["the table", "the big pot", "the cupboard", "the window", "the oven", "the fruit bowl"]),
    "backyard": ("in the backyard", ["the swing", "the tree house", "the fence", "the grass", "the flower pots", "the old shed"]),
    "zoo": ("at the zoo", ["the monkeys", "the giraffes", "the lions", "the penguin pool", "the map", "the gift shop"]),
    "lake": ("at the lake", ["the dock", "the ducks", "the little boat", "the shore", "the reeds", "the cold water"]),
    "library": ("at the library", ["the tall shelves", "the reading corner", "the big desk", "the picture books", "the soft chairs", "the window seat"]),
    "attic": ("in the attic", ["the old trunk", "the dusty boxes", "the round window", "the rocking chair", "the old lamp", "the blankets"]),
    "playground": ("at the playground", ["the slide", "the monkey bars", "the seesaw", "the sandpit", "the climbing frame", "the swings"]),
    "harbor": ("at the harbor", ["the fishing boats", "the seagulls", "the ropes", "the lighthouse", "the nets", "the ice cream stand"]),
    "village square": ("in the village square", ["the fountain", "the bakery", "the clock tower", "the benches", "the pigeons", "the flower boxes"]),
    "camp": ("at the camp", ["the tents", "the campfire", "the lake", "the tall pines", "the picnic table", "the trail"]),
}
OUTDOOR = ["park", "beach", "forest", "garden", "farm", "river", "hill", "meadow",
           "backyard", "lake", "playground", "harbor", "camp", "village square"]
TRIP_PLACES = ["beach", "zoo", "farm", "lake", "market", "forest", "hill", "harbor",
               "library", "camp", "river", "village square"]

HIDING = """under the bed|behind the sofa|in the tall grass|under a pile of leaves|next to
the pond|inside an old box|under the table|behind a tree|on top of the shelf|in the sand|under
the bench|in the shed|in the toy basket|behind the curtain|under the stairs|in a bush|inside a
boot|in the laundry basket|under a big leaf|next to the gate|in the flower bed|behind the door|in
the car|under a blanket|in the mud by the path""".replace("\n", " ").split("|")

TIMES = """One sunny morning|One rainy afternoon|One day|Last summer|On a cold winter day|Early
one morning|One windy evening|On Saturday|After school one day|One bright spring day|One
autumn afternoon|On a snowy morning|One warm evening|On Sunday|One foggy morning|Late one
afternoon|On the first day of spring|One quiet night|During the holidays|One cloudy day""".replace("\n", " ").split("|")

HOMES = """in a small house by the sea|in a busy town|on a farm near the hills|in a village at
the edge of the forest|in a tall apartment building|next to a big park|in a blue house on a quiet
street|in a cottage with a red door|near a wide river|in a little town by the mountains|in a
house with a big garden|above a small shop|at the end of a long lane|in a yellow house on a
hill""".replace("\n", " ").split("|")

ANIMAL_HOMES = """in a cozy burrow under a tree|in a nest high in an old oak|by a quiet pond|in a
hollow log in the forest|in a warm barn|at the edge of a sunny meadow|in a little den by the
river|under the roots of a big tree|in a hole in a stone wall|near a field of
flowers""".replace("\n", " ").split("|")

KID_ADJ = "little kind curious happy brave shy clever cheerful quiet busy gentle funny young friendly".split()
ANIMAL_ADJ = "little small fluffy brown gray clever curious happy young tiny spotted sleepy quick".split()

FAMILY = ["mom", "dad", "grandma", "grandpa", "aunt", "uncle", "big sister", "big brother"]
FAMILY_G = {"mom": "f", "dad": "m", "grandma": "f", "grandpa": "m", "aunt": "f",
            "uncle": "m", "big sister": "f", "big brother": "m"}

FOODS = [("apple", "apples"), ("cookie", "cookies"), ("sandwich", "sandwiches"), ("orange", "oranges"),
         ("muffin", "muffins"), ("pear", "pears"), ("banana", "bananas"), ("carrot", "carrots"),
         ("cupcake", "cupcakes"), ("strawberry", "strawberries"), ("plum", "plums"),
         ("slice of bread", "slices of bread"), ("pancake", "pancakes"), ("biscuit", "biscuits"),
         ("peach", "peaches"), ("bun", "buns"), ("cherry", "cherries"), ("grape", "grapes"),
         ("egg", "eggs"), ("tomato", "tomatoes"), ("lemon", "lemons"), ("potato", "potatoes")]

BAKES = ["a cake", "cookies", "bread", "soup", "pancakes", "a pie", "muffins", "a fruit salad",
         "pizza", "banana bread", "a big pot of stew", "lemon biscuits", "an apple crumble"]

FEELINGS = "happy sad scared excited tired proud surprised worried grumpy lonely calm curious".split()

DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April May June July August September October November December".split()
SEASONS = ["spring", "summer", "autumn", "winter"]

NUMBER_WORDS = """zero one two three four five six seven eight nine ten eleven twelve thirteen
fourteen fifteen sixteen seventeen eighteen nineteen twenty""".split()

TOWNS = """Maple Hollow|Brookside|Pebble Bay|Willow Creek|Hazelford|Sunnyvale|Foxley|Little
Thorn|Mossbridge|Clearwater|Oakridge|Fernhill|Bluebell Green|Stonebrook|Applecombe""".replace("\n", " ").split("|")

# word|part of speech|definition|example
DEFINITIONS = """
brave|adjective|not afraid to do something hard or scary|The brave girl climbed down to help the kitten.
kind|adjective|friendly, gentle and caring toward others|It was kind of Sam to share his lunch.
gentle|adjective|soft and careful, not rough|Be gentle when you hold the baby bird.
curious|adjective|wanting to know or learn about something|The curious cat looked inside the box.
shy|adjective|a little nervous around people you do not know|The shy boy hid behind his dad.
proud|adjective|happy about something you or someone close to you did well|She was proud of her painting.
careful|adjective|paying attention so that nothing goes wrong|Be careful on the icy steps.
cheerful|adjective|happy and bright|The cheerful baker sang while he worked.
clever|adjective|quick to learn and understand things|The clever fox found a way across the river.
honest|adjective|telling the truth and not tricking anyone|Tom was honest about the broken cup.
patient|adjective|able to wait calmly without getting upset|Mia was patient while the bread baked.
polite|adjective|having good manners, like saying please and thank you|A polite child says thank you.
grumpy|adjective|in a bad mood and easily annoyed|The grumpy bear did not want to play.
sleepy|adjective|tired and ready to sleep|The sleepy puppy yawned by the fire.
hungry|adjective|wanting or needing food|After the long walk, everyone was hungry.
thirsty|adjective|wanting or needing something to drink|The thirsty dog drank from the bowl.
muddy|adjective|covered with wet, soft dirt|His boots were muddy after the rain.
shiny|adjective|bright because light bounces off it|She found a shiny coin on the path.
smooth|adjective|flat and even, with no bumps|The stone was smooth from the river water.
rough|adjective|not smooth, with bumps or sharp bits|The bark of the old tree was rough.
calm|adjective|quiet and peaceful, not worried or excited|The lake was calm in the morning.
busy|adjective|having a lot of things to do|The market is busy on Saturdays.
lazy|adjective|not wanting to work or move|The lazy cat slept all afternoon.
silly|adjective|funny in a playful, not serious way|Ben made a silly face to make his sister laugh.
nervous|adjective|a bit worried or afraid about what will happen|Zoe felt nervous before the school play.
generous|adjective|happy to give or share what you have|The generous farmer gave apples to everyone.
lonely|adjective|sad because you are alone|The new boy felt lonely on his first day.
huge|adjective|very, very big|An elephant is a huge animal.
tiny|adjective|very, very small|A tiny ant carried a crumb.
ancient|adjective|very old|They found an ancient coin in the field.
cozy|adjective|warm and comfortable|The little room was cozy by the fire.
fierce|adjective|strong and wild, maybe a little scary|The fierce wind shook the windows.
fragile|adjective|easy to break|Carry the glass carefully, it is fragile.
delicious|adjective|tasting very good|The soup was delicious.
enormous|adjective|extremely big|The whale was enormous.
excited|adjective|very happy and eager about something|The children were excited about the trip.
puzzled|adjective|confused and not sure what something means|Leo looked puzzled by the strange map.
empty|adjective|having nothing inside|The cookie jar was empty.
heavy|adjective|hard to lift because it weighs a lot|The box of books was heavy.
ordinary|adjective|normal, not special or unusual|It was an ordinary Tuesday until the parade came.
library|noun|a place with many books that people can read or borrow|Nora borrows two books from the library every week.
garden|noun|a piece of land where people grow flowers, fruit or vegetables|Grandpa grows beans in his garden.
island|noun|a piece of land with water all around it|They sailed to a small island.
forest|noun|a large area covered with trees|Deer and foxes live in the forest.
bridge|noun|something built over a river or road so people can cross it|The old bridge crosses the river.
map|noun|a drawing that shows where places are|The map showed the way to the lake.
compass|noun|a tool with a needle that always points north|The sailor used a compass to find his way.
recipe|noun|a list of ingredients and steps for making a dish|Dad followed the recipe for pancakes.
harvest|noun|the time when farmers gather their crops|The whole village helped with the harvest.
puddle|noun|a small pool of water on the ground, often after rain|Jack jumped into every puddle.
meadow|noun|a field of grass and wild flowers|Butterflies flew over the meadow.
pond|noun|a small area of still water|Ducks swim on the pond.
nest|noun|a home that birds build for their eggs|The robin built a nest in the hedge.
burrow|noun|a hole in the ground that an animal digs to live in|The rabbit hopped into its burrow.
lantern|noun|a lamp with a cover that you can carry|They lit a lantern in the tent.
blanket|noun|a large, soft cover that keeps you warm|She wrapped the blanket around her shoulders.
picnic|noun|a meal that you eat outside|We had a picnic by the lake.
journey|noun|a trip from one place to another, often a long one|The journey to the mountains took all day.
neighbor|noun|a person who lives near you|Our neighbor gave us some tomatoes.
promise|noun|words saying you will really do something|Max kept his promise to help.
secret|noun|something that only a few people know|Lily told her best friend a secret.
surprise|noun|something you did not expect|The party was a big surprise.
storm|noun|bad weather with strong wind, rain and sometimes thunder|The storm knocked down a tree.
rainbow|noun|an arch of colors in the sky after rain|A rainbow appeared over the hill.
season|noun|one of the four parts of the year: spring, summer, autumn and winter|Winter is the coldest season.
vegetable|noun|a plant or part of a plant that we eat, like a carrot or a pea|Peas are my favorite vegetable.
seed|noun|the small part of a plant that a new plant grows from|She planted a sunflower seed.
shadow|noun|a dark shape made when something blocks the light|His shadow was long in the evening sun.
echo|noun|a sound that bounces back so you hear it again|They shouted into the cave and heard an echo.
orchard|noun|a piece of land where fruit trees grow|The apple orchard was full of bees.
cottage|noun|a small house, often in the countryside|They stayed in a cottage by the sea.
lighthouse|noun|a tall tower with a bright light that helps ships at night|The lighthouse flashed across the water.
kettle|noun|a pot used to boil water|Grandma put the kettle on for tea.
umbrella|noun|a cover you hold over your head to keep off the rain|Take an umbrella, it looks like rain.
hammer|noun|a tool used to hit nails into wood|Dad used a hammer to fix the fence.
ladder|noun|a set of steps you can move, used to climb up high|She climbed the ladder to pick apples.
feather|noun|one of the light, soft parts that cover a bird|A blue feather floated down.
thunder|noun|the loud noise that comes after lightning|The thunder made the dog hide.
breakfast|noun|the first meal of the day|We ate eggs for breakfast.
festival|noun|a special time when people celebrate together|The town has a music festival in June.
friendship|noun|the good feeling between friends|Their friendship grew stronger every year.
courage|noun|the ability to do something even when you are afraid|It took courage to speak in front of the class.
whisper|verb|to speak very softly|Please whisper in the library.
giggle|verb|to laugh in a light, silly way|The twins began to giggle.
wander|verb|to walk around slowly without a plan|They liked to wander through the market.
gather|verb|to collect things or bring people together|We gathered shells on the beach.
borrow|verb|to take something for a short time and then give it back|Can I borrow your pencil?
share|verb|to let someone else have or use part of what you have|Ella shared her grapes with Finn.
explore|verb|to look around a new place to learn about it|They explored the old castle.
climb|verb|to go up something using your hands and feet|The cat climbed the tree.
fold|verb|to bend something, like paper or cloth, so one part lies on another|Fold the letter in half.
stir|verb|to mix something by moving a spoon around in it|Stir the soup so it does not stick.
sprinkle|verb|to drop small pieces or drops over something|Sprinkle sugar on the pancakes.
rescue|verb|to save someone or something from danger|The firefighter rescued the kitten.
repair|verb|to fix something that is broken|Grandpa repaired the old bike.
wonder|verb|to think about something and want to know more|I wonder what is inside the box.
guess|verb|to give an answer when you are not sure|Can you guess my favorite color?
invite|verb|to ask someone to come to something|Mia invited her class to the party.
celebrate|verb|to do something special because of a happy event|We celebrate birthdays with cake.
practice|verb|to do something again and again to get better at it|Leo practices the piano every day.
imagine|verb|to make a picture of something in your mind|Imagine a castle made of clouds.
hurry|verb|to move or do something quickly|Hurry, or we will miss the bus!
protect|verb|to keep someone or something safe|The mother duck protects her ducklings.
measure|verb|to find out the size or amount of something|Measure two cups of flour.
discover|verb|to find something for the first time|They discovered a path behind the waterfall.
apologize|verb|to say you are sorry|Ben apologized for stepping on her toe.
balance|verb|to stay steady without falling|She could balance on one foot.
collect|verb|to bring things together and keep them|Kai collects stickers.
plant|verb|to put a seed or young plant into the ground so it can grow|We planted tulips in the autumn.
borrowed|adjective|taken from someone for a short time, to be given back|He read a borrowed book.
quickly|adverb|in a fast way|The rabbit ran quickly into its hole.
slowly|adverb|in a way that is not fast|The turtle walked slowly across the road.
carefully|adverb|paying close attention so nothing goes wrong|She carefully carried the full cup.
quietly|adverb|without making much noise|They tiptoed quietly past the sleeping baby.
""".strip().split("\n")
DEFINITIONS = [tuple(line.split("|")) for line in DEFINITIONS]

OPPOSITES = [("hot", "cold"), ("big", "small"), ("up", "down"), ("happy", "sad"), ("fast", "slow"),
             ("day", "night"), ("open", "closed"), ("full", "empty"), ("wet", "dry"), ("old", "new"),
             ("light", "dark"), ("loud", "quiet"), ("tall", "short"), ("hard", "soft"),
             ("early", "late"), ("inside", "outside"), ("push", "pull"), ("win", "lose"),
             ("heavy", "light"), ("clean", "dirty"), ("first", "last"), ("near", "far"),
             ("thick", "thin"), ("strong", "weak"), ("begin", "end"), ("give", "take"),
             ("left", "right"), ("top", "bottom"), ("laugh", "cry"), ("always", "never"),
             ("sweet", "sour"), ("asleep", "awake"), ("above", "below"), ("remember", "forget")]

THING_COLORS = [("the sky on a clear day", "blue"), ("grass", "green"), ("a ripe banana", "yellow"),
                ("snow", "white"), ("a ripe strawberry", "red"), ("coal", "black"),
                ("an orange", "orange"), ("a carrot", "orange"), ("a lemon", "yellow"),
                ("a fire truck", "red"), ("milk", "white"), ("the sun in a drawing", "yellow"),
                ("a frog", "green"), ("chocolate", "brown"), ("a tree trunk", "brown"),
                ("a cloud on a sunny day", "white"), ("a rain cloud", "gray"), ("an elephant", "gray"),
                ("a pumpkin", "orange"), ("a lime", "green"), ("the sea", "blue or green"),
                ("a plum", "purple"), ("a flamingo", "pink"), ("a crow", "black")]

SHAPES = [("triangle", 3), ("square", 4), ("rectangle", 4), ("pentagon", 5), ("hexagon", 6),
          ("octagon", 8), ("circle", 0)]

SENSES = [("see", "eyes"), ("hear", "ears"), ("smell", "nose"), ("taste", "tongue"),
          ("touch things and feel them", "hands and skin"), ("walk", "legs and feet"),
          ("think", "brain"), ("chew food", "teeth")]

IRREGULAR_PLURALS = [("mouse", "mice"), ("child", "children"), ("foot", "feet"), ("tooth", "teeth"),
                     ("goose", "geese"), ("man", "men"), ("woman", "women"), ("sheep", "sheep"),
                     ("fish", "fish"), ("leaf", "leaves"), ("knife", "knives"), ("wolf", "wolves"),
                     ("person", "people"), ("box", "boxes"), ("bus", "buses"), ("baby", "babies"),
                     ("city", "cities"), ("potato", "potatoes"), ("deer", "deer"), ("ox", "oxen"),
                     ("half", "halves"), ("dish", "dishes"), ("story", "stories"), ("glass", "glasses")]

SPELL_WORDS = """cat dog sun hat tree book fish bird cake milk rain star moon frog bell ship
duck lamp kite rose boat door nest bread apple house green happy water plant horse smile cloud
chair table river train paper""".split()

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def pron(g):
    if g == "f":
        return {"he": "she", "him": "her", "his": "her", "himself": "herself"}
    return {"he": "he", "him": "him", "his": "his", "himself": "himself"}


def num_word(n, g):
    if 0 <= n <= 20 and g.chance(0.3):
        return NUMBER_WORDS[n]
    return str(n)


class Char:
    def __init__(self, name, g, desc, home, is_animal, kind):
        self.name = name
        self.g = g
        self.desc = desc          # "a little girl", "a small fox"
        self.home = home
        self.is_animal = is_animal
        self.kind = kind          # "girl", "fox"
        p = pron(g)
        self.he, self.him, self.his, self.himself = p["he"], p["him"], p["his"], p["himself"]


def make_char(g, animal=None, avoid=()):
    if animal is None:
        animal = g.chance(0.3)
    for _ in range(20):
        if animal:
            name = g.pick(PET_NAMES)
            kind = g.pick(ANIMALS)
            sex = "f" if g.chance(0.5) else "m"
            desc = an(g.pick(ANIMAL_ADJ) + " " + kind)
            home = g.pick(ANIMAL_HOMES)
        else:
            sex = "f" if g.chance(0.5) else "m"
            name = g.pick(GIRL_NAMES if sex == "f" else BOY_NAMES)
            kind = "girl" if sex == "f" else "boy"
            desc = an(g.pick(KID_ADJ) + " " + kind)
            home = g.pick(HOMES)
        if name not in avoid:
            break
    return Char(name, sex, desc, home, animal, kind)


def say(g, who, line, verb=None):
    """A line of dialogue with a tag, in one of three orders."""
    if verb is None:
        verb = "asked" if line.endswith("?") else g.pick(["said", "said", "said", "shouted",
                                                         "whispered", "cried", "called", "laughed"])
    if line.endswith("?") and verb not in ("asked", "wondered", "whispered", "called"):
        verb = "asked"
    form = g.r.randrange(3)
    if form == 0:
        tail = line[:-1] + "," if line.endswith(".") else line
        return '"%s" %s %s.' % (tail, who, verb)
    if form == 1 and who[0].isupper():
        tail = line[:-1] + "," if line.endswith(".") else line
        return '"%s" %s %s.' % (tail, verb, who)
    return '%s %s, "%s"' % (cap(who), verb, line)


def to_place(place):
    """"at the park" -> "to the park", "at school" -> "to school"."""
    at = PLACES[place][0]
    return "to " + at.split(" ", 1)[1]


def obj_phrase(g):
    o = g.pick(OBJECTS)
    if g.chance(0.6):
        return g.pick(OBJ_ADJ) + " " + o[0]
    return o[0]


# ---------------------------------------------------------------------------
# Stories
# ---------------------------------------------------------------------------

KID_FEATURES = """curly red hair|a gap in her teeth|big round glasses|freckles on her nose|a yellow raincoat|muddy
knees|a big laugh|a pocket full of stones|long black braids|a blue backpack|a red cap|a loud voice|bright green
boots|a bandage on his knee|a missing front tooth|a striped sweater""".replace("\n", " ").split("|")
ANIMAL_FEATURES = """a fluffy tail|long ears|soft gray fur|a white spot on her nose|big brown eyes|a short
tail|tiny paws|a loud voice|a striped back|shiny feathers|a pink nose|very long whiskers""".replace("\n", " ").split("|")
LOVES = """to play outside|to read stories|to sing songs|to draw pictures|to run fast|to help others|to look
at the stars|to build things|to dance|to collect stones|to explore|to eat apples|to splash in puddles|to climb
trees|to ask questions|to count things|to tell jokes|to watch the clouds|to play the drum|to bake with
grandma|to dig in the dirt|to swim|to make up songs|to visit the library""".replace("\n", " ").split("|")


def described(g, c):
    """c.desc, sometimes with a detail: "a shy girl with red boots"."""
    if g.chance(0.3):
        f = g.pick(ANIMAL_FEATURES if c.is_animal else KID_FEATURES)
        f = f.replace("her ", c.his + " ").replace("his ", c.his + " ")
        return c.desc + " with " + f
    return c.desc


def opening(g, c):
    t = g.r.randrange(9)
    if t == 0:
        if g.chance(0.3):
            f = g.pick(ANIMAL_FEATURES if c.is_animal else KID_FEATURES).replace("her ", c.his + " ").replace("his ", c.his + " ")
            return "Once upon a time, there was %s named %s. %s had %s." % (c.desc, c.name, cap(c.he), f)
        return "Once upon a time, there was %s named %s." % (c.desc, c.name)
    if t == 1:
        return "%s was %s who lived %s." % (c.name, c.desc, c.home)
    if t == 2:
        return "There once lived %s called %s." % (c.desc, c.name)
    if t == 3:
        return "In %s, there lived %s named %s." % (g.pick(["a little town", "a small village", "the town of " + g.pick(TOWNS), "a quiet valley", "a sunny place by the sea", "a busy city", "a green valley"]), c.desc, c.name)
    if t == 4:
        return "%s was %s. %s loved %s." % (c.name, described(g, c), cap(c.he), g.pick(LOVES))
    if t == 5:
        return "%s was %s who liked %s." % (c.name, c.desc, g.pick(LOVES))
    if t == 6:
        return "%s lived %s. Every day, %s liked %s." % (c.name, c.home, c.he, g.pick(LOVES))
    if t == 7:
        return "%s was %s. Everyone in %s knew %s." % (c.name, described(g, c), g.pick(TOWNS), c.him)
    return "Have you ever met %s? %s was %s who lived %s." % (c.name, cap(c.he), c.desc, c.home)


def endings(g, c, f=None):
    both = c.name if f is None else "%s and %s" % (c.name, f.name)
    they = c.he if f is None else "they"
    opts = [
        "From that day on, %s %s very happy." % (both, "was" if f is None else "were"),
        "That night, %s went to sleep with a big smile." % both,
        "%s learned that %s." % (c.name, g.pick(["it is good to ask for help", "sharing makes everyone happy",
                                                 "being kind is always worth it", "trying again is the best way to learn",
                                                 "friends make hard things easier", "telling the truth is important",
                                                 "it is okay to feel scared", "patience brings good things",
                                                 "small things can make a big difference", "every day can be an adventure"])),
        "It was the best day ever.",
        "%s could not wait to do it again." % cap(they),
        "And %s lived happily ever after." % both,
        "The end.",
        "%s smiled. It had been a good day." % cap(both),
        "When the sun went down, %s walked home, tired and happy." % both,
    ]
    return g.pick(opts)


def story_lost(g):
    c = make_char(g)
    f = make_char(g, avoid=(c.name,))
    obj = obj_phrase(g)
    place = g.pick(OUTDOOR + ["school", "library", "attic", "kitchen"])
    at, things = PLACES[place]
    spot = g.pick(HIDING)
    st = Story()
    st.core(opening(g, c))
    st.core(g.pick([
        "%s had %s that %s loved very much." % (cap(c.he), an(obj), c.he),
        "%s favorite toy was %s." % (cap(c.his), an(obj)),
        "%s, %s took %s %s %s." % (g.pick(TIMES), c.name, c.his, obj, g.pick(["to the " + place, "outside", "everywhere"])),
    ]))
    st.core(g.pick([
        "But one day, the %s was gone!" % obj,
        "Then %s looked down and saw that %s %s was missing." % (c.he, c.his, obj),
        "After playing %s, %s could not find %s %s." % (at, c.name, c.his, obj),
    ]))
    st.opt(say(g, c.name, g.pick(["Where is my %s?" % obj, "Oh no, I lost my %s!" % obj,
                                          "Has anyone seen my %s?" % obj, "I have looked everywhere!"])))
    st.opt("%s looked near %s and %s, but it was not there." % (cap(c.he), g.pick(things), g.pick(things)))
    if g.chance(0.6):
        st.core("%s, %s, came to help." % (f.name, g.pick(["a friend of %s" % c.his, "who lived next door", "%s best friend" % c.his, c.desc.replace(c.kind, f.kind) if f.is_animal else "a kind " + f.kind])))
        st.opt(say(g, f.name, g.pick(["Let us look together.", "Don't worry, I will help you.",
                                             "Maybe it is %s." % spot, "Two pairs of eyes are better than one."])))
        finder = g.pick([c, f])
    else:
        finder = c
    st.core(g.pick([
        "At last, %s found it %s." % (finder.name, spot),
        "Then %s saw something %s. It was the %s!" % (finder.name, spot, obj),
        "Finally, %s spotted the %s %s." % (finder.name, obj, spot),
    ]))
    st.opt(say(g, c.name, g.pick(["Thank you so much!", "Hooray, I found it!", "I will keep it safe now.",
                                         "You are the best!"]), "cried" if g.chance(0.5) else None))
    st.opt(endings(g, c))
    return st


def story_friend(g):
    c = make_char(g)
    f = make_char(g, avoid=(c.name,))
    place = g.pick(OUTDOOR + ["school", "library"])
    at, things = PLACES[place]
    game = g.pick(["tag", "hide and seek", "catch", "a game of pretend", "with a ball", "in the sand",
                   "with chalk", "with the kite", "a racing game", "with building blocks", "leapfrog"])
    st = Story()
    st.core(opening(g, c))
    st.core(g.pick([
        "%s felt lonely %s because %s had no one to play with." % (cap(c.he), at, c.he),
        "%s, %s went %s. %s wanted a friend." % (g.pick(TIMES), c.name, to_place(place), cap(c.he)),
        "%s was new in town and did not know anyone yet." % cap(c.he),
    ]))
    st.core(g.pick([
        "Then %s saw %s sitting near %s." % (c.he, f.desc + " named " + f.name, g.pick(things)),
        "Near %s, there was %s called %s." % (g.pick(things), f.desc, f.name),
        "Soon %s met %s, who was playing alone too." % (c.he, f.name),
    ]))
    st.opt(say(g, c.name, g.pick(["Hello! Do you want to play?", "Hi, my name is %s. What is yours?" % c.name,
                                         "Can I play with you?", "Would you like to be my friend?"])))
    st.opt(say(g, f.name, g.pick(["Yes, please!", "I would like that.", "Okay, let's play %s!" % game.replace("with ", "").replace("a game of ", ""),
                                         "Sure! I was hoping someone would ask."])))
    st.core(g.pick([
        "They played %s all afternoon." % game,
        "Together they played %s until the sun went down." % game,
        "%s and %s laughed and played %s." % (c.name, f.name, game),
    ]))
    st.opt(g.pick(["%s was shy at first, but soon %s was laughing too." % (f.name, f.he),
                         "They shared %s snack and talked about their favorite animals." % c.his,
                         "They found out that they both liked %s." % g.pick(["dinosaurs", "painting", "music", "the rain", "big trees", "funny songs"])]))
    st.opt(g.pick(["Now %s and %s are best friends." % (c.name, f.name),
                         "%s was not lonely anymore." % c.name,
                         endings(g, c, f)]))
    return st


def story_share(g):
    c = make_char(g)
    f = make_char(g, avoid=(c.name,))
    food, foods = g.pick(FOODS)
    n = g.randint(2, 6)
    st = Story()
    st.core(opening(g, c))
    st.core(g.pick([
        "%s had %s %s in %s bag." % (cap(c.he), num_word(n, g), foods, c.his),
        "%s %s gave %s %s %s for a snack." % (cap(c.his), g.pick(FAMILY), c.him, num_word(n, g), foods),
        "At lunch, %s had a big, sweet %s." % (c.name, food),
    ]))
    st.core(g.pick([
        "%s saw that %s had nothing to eat." % (cap(c.he), f.name),
        "%s sat nearby and looked very hungry." % f.name,
        "%s had forgotten %s lunch at home." % (f.name, f.his),
    ]))
    st.opt(say(g, f.name, g.pick(["My tummy is rumbling.", "I forgot my snack today.", "That looks yummy."])))
    st.opt("%s thought for a moment. %s really wanted to eat it all." % (c.name, cap(c.he)))
    st.core(g.pick([
        "%s smiled and shared %s %s with %s." % (c.name, c.his, foods if g.chance(0.5) else food, f.name),
        "So %s gave half to %s." % (c.name, f.name),
        "%s held out %s hand. \"Here, you can have some,\" %s said." % (c.name, c.his, c.he),
    ]))
    st.opt(say(g, f.name, g.pick(["Thank you! You are so kind.", "Thank you, that is very nice of you.",
                                         "Wow, thanks! Tomorrow I will share with you."])))
    st.opt(g.pick(["The %s tasted even better when they ate together." % foods,
                         "Sharing made them both feel warm inside.",
                         endings(g, c, f)]))
    return st


FEARS = [("the dark", "turned on a small light", "the dark was just a room without the light"),
         ("the big slide", "went down slowly the first time", "the slide was fun"),
         ("thunder", "counted the seconds between the flash and the boom", "thunder is only a loud noise"),
         ("the deep water", "held on to the side of the pool and kicked", "swimming was fun"),
         ("the new dog next door", "held out a hand for the dog to sniff", "the dog was friendly"),
         ("the tall ladder", "climbed one step at a time", "it was not so high after all"),
         ("the first day of school", "said hello to the child at the next desk", "school was a happy place"),
         ("the noisy vacuum cleaner", "watched it from the doorway", "it only eats dust"),
         ("the shadows on the wall", "made a shadow rabbit with two fingers", "shadows can be funny"),
         ("the big waves", "jumped over the small ones first", "the waves were fun to play in"),
         ("riding a bike without help", "pedaled while someone held the seat", "riding was like flying")]


def story_fear(g):
    c = make_char(g)
    helper_role = g.pick(FAMILY)
    fear, action, lesson = g.pick(FEARS)
    st = Story()
    st.core(opening(g, c))
    st.core(g.pick([
        "%s was scared of %s." % (cap(c.he), fear),
        "There was one thing %s did not like: %s." % (c.name, fear),
        "But %s was afraid of %s." % (c.name, fear),
    ]))
    st.opt(say(g, c.name, g.pick(["I don't want to.", "It is too scary!", "What if something bad happens?",
                                         "Can we go home now?"])))
    st.core(g.pick([
        "%s %s sat down next to %s." % (cap(c.his), helper_role, c.him),
        "%s %s gave %s a hug." % (cap(c.his), helper_role, c.him),
        "%s %s knelt down and held %s hand." % (cap(c.his), helper_role, c.his),
    ]))
    st.opt(say(g, "%s %s" % (c.his, helper_role), g.pick(["It is okay to be scared. Let's try together.",
                                                                 "You are braver than you think.",
                                                                 "We can go slowly. I am right here.",
                                                                 "Take a deep breath. You can do it."])))
    st.core("So %s took a deep breath and %s." % (c.name, action))
    st.opt(g.pick(["It was not as bad as %s thought." % c.he,
                         "%s heart was beating fast, but %s kept going." % (cap(c.his), c.he)]))
    st.core(g.pick(["Soon %s saw that %s." % (c.name, lesson),
                        "%s found out that %s." % (c.name, lesson),
                        "After a while, %s smiled. Now %s knew that %s." % (c.name, c.he, lesson)]))
    st.opt(say(g, c.name, g.pick(["I did it!", "That was not so scary.", "Can we do it again?"]), "shouted" if g.chance(0.5) else None))
    st.opt(g.pick(["%s %s was very proud of %s." % (cap(c.his), helper_role, c.him), endings(g, c)]))
    return st


TROUBLES = [("a little bird", "was stuck in a bush", "gently moved the branches", "flew away, singing"),
            ("a kitten", "could not get down from a tree", "fetched a ladder and climbed up", "purred and licked {his} hand"),
            ("an old man", "had dropped his bag of apples", "picked up every apple", "thanked {him} with a shiny apple"),
            ("a tiny snail", "was in the middle of the path", "carried it to the soft grass", "slowly went on its way"),
            ("a lost puppy", "was crying by the gate", "read the name on its collar and found its home", "wagged its tail"),
            ("a little duckling", "could not find its mother", "followed the quacking to the pond", "swam to its mother"),
            ("a neighbor", "could not carry all the boxes", "carried two boxes to the door", "gave {him} a cookie"),
            ("a small boy", "had lost his balloon in a tree", "used a long stick to reach the string", "laughed and held it tight"),
            ("a bee", "was stuck in the window", "opened the window wide", "buzzed out into the sunshine"),
            ("a frog", "was stuck in an empty bucket", "tipped the bucket over", "hopped back to the pond")]


def story_help(g):
    c = make_char(g)
    who, trouble, act, result = g.pick(TROUBLES)
    place = g.pick(OUTDOOR)
    at, things = PLACES[place]
    st = Story()
    st.core(opening(g, c))
    st.core(g.pick([
        "%s, %s was playing %s." % (g.pick(TIMES), c.name, at),
        "One day %s was walking %s." % (c.name, at),
        "%s went %s to look for %s." % (c.name, to_place(place), g.pick(["flowers", "shells", "pretty stones", "bugs", "a quiet spot to read", "friends"])),
    ]))
    st.core("%s saw that %s %s." % (cap(c.he), who, trouble))
    st.opt(say(g, c.name, g.pick(["Don't worry, I will help you!", "Oh no! Let me help.", "Hold on, I am coming!",
                                         "I think I can help."])))
    st.core("%s %s." % (c.name, act))
    st.core("The %s %s." % (who.split(" ", 1)[1], result.format(his=c.his, him=c.him)))
    st.opt(g.pick(["%s felt warm and happy inside." % c.name,
                         "Helping made %s feel very proud." % c.name,
                         endings(g, c)]))
    return st


def story_weather(g):
    c = make_char(g)
    f = make_char(g, avoid=(c.name,))
    plan = g.pick(["have a picnic", "fly a kite", "go to the beach", "play football", "ride bikes", "go to the park",
                   "build a sandcastle", "go fishing at the lake"])
    weather = g.pick([("it started to rain", "the rain stopped", "a rainbow"),
                      ("dark clouds rolled in and the wind began to blow", "the clouds moved away", "the warm sun"),
                      ("snow began to fall", "the snow stopped", "a white, sparkly world"),
                      ("a big storm came", "the storm passed", "a sky full of stars")])
    inside = g.pick(["built a fort out of blankets and pillows", "baked cookies with %s %s" % (c.his, g.pick(FAMILY)),
                     "painted pictures of %s" % g.pick(["the sea", "their pets", "a castle", "the rain", "a big dragon"]),
                     "played a board game", "read a book about %s" % g.pick(["pirates", "space", "dinosaurs", "the ocean"]),
                     "made a puppet show", "sang songs and danced in the living room"])
    st = Story()
    st.core(opening(g, c))
    st.core("%s and %s friend %s wanted to %s." % (c.name, c.his, f.name, plan))
    st.core("But then %s." % weather[0])
    st.opt(say(g, f.name, g.pick(["Oh no! Now we can't %s." % plan, "What can we do now?", "This is not fair!"])))
    st.opt(say(g, c.name, g.pick(["I have an idea!", "We can still have fun inside.", "Let's make our own fun."])))
    st.core("So they %s." % inside)
    st.opt("Later, %s, and they saw %s." % (weather[1], weather[2]))
    st.opt(g.pick(["It turned out to be a wonderful day after all.", endings(g, c, f)]))
    return st


MAKES = [("a sandcastle", "the waves knocked it down", "built it higher up the beach"),
         ("a tower of blocks", "it fell over with a crash", "put the big blocks at the bottom"),
         ("a paper boat", "it got soggy and sank", "folded a new one from thicker paper"),
         ("a kite", "it would not fly", "added a long tail made of ribbons"),
         ("a birdhouse", "the roof kept sliding off", "used more nails to hold it"),
         ("a snowman", "its head rolled away", "packed the snow tighter"),
         ("a treehouse", "the ladder was too short", "tied two ladders together with rope"),
         ("a cardboard rocket", "it was too wobbly", "added tape all around the bottom"),
         ("a bird feeder", "the seeds spilled out", "made the holes smaller"),
         ("a little bridge for the toy cars", "it was too bumpy", "used flat sticks instead")]


def story_make(g):
    c = make_char(g)
    thing, fail, fix = g.pick(MAKES)
    st = Story()
    st.core(opening(g, c))
    st.core(g.pick(["%s wanted to make %s." % (cap(c.he), thing),
                        "%s, %s decided to build %s." % (g.pick(TIMES), c.name, thing),
                        "%s had a big plan: %s would make %s." % (c.name, c.he, thing)]))
    st.opt("%s got everything %s needed and started to work." % (cap(c.he), c.he))
    st.core("But %s." % fail)
    st.opt(say(g, c.name, g.pick(["It's no good!", "Why won't it work?", "Maybe I should give up."])))
    if g.chance(0.6):
        role = g.pick(FAMILY)
        st.core("%s %s came over and said, \"%s\"" % (cap(c.his), role, g.pick(
            ["Let's try again together.", "Everyone makes mistakes. Try a different way.",
             "Don't give up. What could you change?"])))
    st.core("This time %s %s." % (c.name, fix))
    st.core(g.pick(["It worked!", "And this time, it was perfect.", "Now it was strong and tall."]))
    st.opt(g.pick(["%s was so proud of %s." % (c.name, thing), endings(g, c)]))
    return st


def story_cook(g):
    c = make_char(g, animal=False)
    role = g.pick(FAMILY)
    bake = g.pick(BAKES)
    st = Story()
    st.core(opening(g, c))
    st.core(g.pick(["%s, %s and %s %s made %s." % (g.pick(TIMES), c.name, c.his, role, bake),
                        "%s %s asked %s to help make %s." % (cap(c.his), role, c.him, bake),
                        "%s and %s %s wanted to make %s for %s." % (c.name, c.his, role, bake, g.pick(["dinner", "a party", "the neighbors", "a picnic", "grandma"]))]))
    st.core(g.pick(["They mixed %s and %s in a big bowl." % tuple(g.sample(["flour", "eggs", "milk", "butter", "sugar", "water", "salt", "oats", "honey"], 2)),
                        "%s washed and chopped %s, and %s %s stirred the pot." % (c.name, g.pick(["the carrots", "the apples", "the potatoes", "the onions", "the tomatoes"]), c.his, role),
                        "%s measured everything very carefully." % c.name]))
    st.opt(g.pick(["There was flour on the table, on the floor and on %s nose!" % c.his,
                         "Oops! %s spilled some milk, but they wiped it up together." % c.name,
                         "The kitchen smelled wonderful."]))
    st.opt(say(g, c.name, g.pick(["Is it ready yet?", "Can I taste it?", "I love cooking with you."])))
    st.core(g.pick(["At last it was ready, and it was delicious.", "When it was done, they all sat down to eat.",
                        "It tasted even better than %s hoped." % c.he]))
    st.opt(g.pick(["They took some to %s, who lived next door." % g.pick(["old Mrs. " + g.pick(["Green", "Brown", "Hill", "Lane", "Park"]), "Mr. " + g.pick(["Wood", "Stone", "Gray", "Bell", "Fox"])]),
                         endings(g, c)]))
    return st


def story_trip(g):
    c = make_char(g)
    role = g.pick(FAMILY)
    place = g.pick(TRIP_PLACES)
    at, things = PLACES[place]
    seen = g.sample(things, 3)
    st = Story()
    st.core(opening(g, c))
    st.core(g.pick(["%s, %s and %s %s went to the %s." % (g.pick(TIMES), c.name, c.his, role, place),
                        "%s %s took %s to the %s." % (cap(c.his), role, c.him, place),
                        "Today was a special day: %s was going to the %s!" % (c.name, place)]))
    st.core("%s they saw %s." % (cap(at), join_list(seen)))
    st.opt(say(g, c.name, g.pick(["Look at that!", "Wow, this is amazing!", "Can we stay here all day?",
                                         "What is that over there?"])))
    st.core("%s favorite thing was %s." % (cap(c.his), seen[0]))
    st.opt(g.pick(["They ate %s and drank %s." % (g.pick(["sandwiches", "apples", "ice cream", "warm rolls", "crackers"]), g.pick(["lemonade", "water", "juice", "warm cocoa"])),
                         "%s took a picture so %s would remember it." % (cap(c.he), c.he)]))
    st.opt(g.pick(["On the way home, %s fell asleep in the car." % c.name,
                         "%s could not wait to tell %s friends about it." % (c.name, c.his), endings(g, c)]))
    return st


def story_gift(g):
    c = make_char(g)
    f = make_char(g, avoid=(c.name,))
    gift = g.pick(["a card with a big sun on it", "a necklace of shells", "a painting of a horse",
                   "a little clay bowl", "a crown of daisies", "a paper crown", "a kite with a long tail", "a box of cookies",
                   "a bookmark with stars", "a drawing of the two of them"])
    st = Story()
    st.core(opening(g, c))
    st.core(g.pick(["Tomorrow was %s birthday." % (f.name + "'s"),
                        "%s best friend %s was feeling sad." % (cap(c.his), f.name),
                        "%s wanted to surprise %s." % (c.name, f.name)]))
    st.opt("%s had no money to buy a present." % cap(c.he))
    st.core("So %s made %s." % (c.he, gift))
    st.opt("It took a long time, but %s did not stop until it was just right." % c.he)
    st.core("When %s gave it to %s, %s %s." % (c.name, f.name, f.name, g.pick(["smiled from ear to ear", "jumped for joy", "gave %s a big hug" % c.him, "said it was the best present ever"])))
    st.opt(say(g, f.name, g.pick(["I love it!", "Did you make this yourself?", "Thank you, this is so special."])))
    st.opt(g.pick(["The best gifts come from the heart.", endings(g, c, f)]))
    return st


def story_race(g):
    c = make_char(g)
    f = make_char(g, avoid=(c.name,))
    race = g.pick(["a race to the big tree", "a race across the field", "a swimming race", "a sack race",
                   "a race up the hill", "a bike race around the park"])
    st = Story()
    st.core(opening(g, c))
    st.core("%s and %s decided to have %s." % (c.name, f.name, race))
    st.opt(say(g, f.name, g.pick(["Ready, set, go!", "I am going to win!", "On your marks!"])))
    st.core(g.pick(["They ran as fast as they could.", "Off they went!", "They both started very fast."]))
    st.core(g.pick(["Then %s tripped and fell." % f.name, "Halfway there, %s hurt %s foot on a stone." % (f.name, f.his),
                        "Suddenly %s dropped %s hat." % (f.name, f.his)]))
    st.core(g.pick(["%s stopped and went back to help %s friend." % (c.name, c.his),
                        "%s did not keep running. %s turned around to help." % (c.name, cap(c.he))]))
    st.opt(say(g, c.name, g.pick(["Are you okay?", "Here, take my hand.", "Let's finish together."])))
    st.opt(g.pick(["They crossed the finish line side by side.", "In the end nobody won, and that was fine.",
                         "Winning did not matter. Being a good friend did."]))
    return st


def story_garden(g):
    c = make_char(g)
    plant = g.pick(["a tall sunflower", "a big bean plant", "a fat orange pumpkin", "a tomato plant full of red tomatoes",
                    "a little apple tree", "a bright red tulip", "a pea plant with fat green pods", "a rose bush",
                    "a strawberry plant with sweet berries", "a yellow daffodil", "a tall corn plant"])
    st = Story()
    st.core(opening(g, c))
    st.core(g.pick(["%s planted a tiny seed in %s." % (cap(c.he), g.pick(["a pot", "the garden", "the backyard", "a box by the window"])),
                        "%s %s gave %s a seed and said it would grow into %s." % (cap(c.his), g.pick(FAMILY), c.him, plant)]))
    st.core("Every day, %s gave it water and made sure it had sun." % c.name)
    st.opt("But nothing happened for a long time.")
    st.opt(say(g, c.name, g.pick(["Why is it not growing?", "Grow, little seed, grow!", "Maybe tomorrow."])))
    st.core(g.pick(["Then one morning, a small green shoot came up.", "After many days, a little leaf poked out of the dirt."]))
    st.core("By the end of %s, it had become %s." % (g.pick(["summer", "spring", "the month"]), plant))
    st.opt(g.pick(["Good things take time.", endings(g, c)]))
    return st


FINDS = [("an old box", "a key and a note", "the note said: \"For whoever finds this, have a happy day.\""),
         ("a door in the hedge", "a secret garden", "it was full of roses and singing birds"),
         ("an old glass bottle", "a rolled-up map", "it showed the way to a hidden cove"),
         ("a big shiny shell", "a sound like the sea", "%s held it to %s ear and listened"),
         ("a hole in the tree", "a family of baby owls", "they blinked their big round eyes"),
         ("a small wooden chest", "old photos and a toy soldier", "grandma told them stories about each one"),
         ("a trail of footprints", "a hedgehog eating berries", "it sniffed and shuffled away"),
         ("a box with holes", "a tiny gray kitten", "it needed a home")]


def story_find(g):
    c = make_char(g)
    thing, inside, after = g.pick(FINDS)
    place = g.pick(["park", "forest", "beach", "attic", "garden", "backyard", "meadow", "hill"])
    at, things = PLACES[place]
    st = Story()
    st.core(opening(g, c))
    st.core("%s, %s was exploring %s." % (g.pick(TIMES), c.name, at))
    st.core("Near %s, %s found %s." % (g.pick(things), c.he, thing))
    st.opt(say(g, c.name, g.pick(["What could this be?", "I wonder what is inside.", "Wow, look at this!"]), "whispered" if g.chance(0.4) else None))
    st.core("Inside, there was %s." % inside if not thing.startswith(("a trail", "a door", "a hole")) else
                "%s followed it and found %s." % (cap(c.he), inside))
    st.opt(cap((after % (c.name, c.his)) if "%s" in after else after) + ".")
    st.opt(g.pick(["It was the most exciting day of the summer.", endings(g, c)]))
    return st


def story_honest(g):
    c = make_char(g, animal=False)
    role = g.pick(FAMILY)
    broke = g.pick(["a blue vase", "grandma's favorite cup", "the window", "a plate", "the lamp", "a jar of jam",
                    "the cookie jar", "a flower pot"])
    st = Story()
    st.core(opening(g, c))
    st.core(g.pick(["%s was playing ball inside the house." % cap(c.he),
                        "%s was running through the kitchen." % cap(c.he),
                        "%s was jumping on the sofa." % cap(c.he)]))
    st.core("%s %s %s." % (g.pick(["Crash!", "Smash!", "Oh no!", "Bang!", "Oops!"]), cap(broke), g.pick(["fell and broke", "fell to the floor and broke", "broke into pieces", "cracked"])))
    st.opt("%s wanted to hide and say nothing." % c.name)
    st.core("But %s went to %s %s and told the truth." % (c.he, c.his, role))
    st.opt(say(g, c.name, g.pick(["I am sorry. It was me.", "I broke it. I did not mean to.", "I am sorry, I should have been careful."])))
    st.core(g.pick(["%s %s was not angry. %s said, \"Thank you for telling me the truth.\"" % (cap(c.his), role, cap(pron(FAMILY_G[role])["he"])),
                        "%s %s gave %s a hug and they cleaned up together." % (cap(c.his), role, c.him)]))
    st.opt(g.pick(["%s felt much better after that." % c.name, endings(g, c)]))
    return st


def story_night(g):
    c = make_char(g)
    st = Story()
    st.core(opening(g, c))
    st.core(g.pick(["It was bedtime, but %s could not sleep." % c.name,
                        "One night, %s looked out of the window." % c.name]))
    st.core("%s saw %s." % (cap(c.he), g.pick(["a bright full moon", "thousands of little stars", "a shooting star",
                                                    "an owl on the fence", "fireflies dancing in the garden"])))
    st.opt(say(g, c.name, g.pick(["It is so beautiful.", "Hello, moon!", "I wish I could fly up there."]), "whispered"))
    st.opt("%s %s came in and sat on the bed." % (cap(c.his), g.pick(FAMILY)))
    st.core(g.pick(["They counted the stars together until %s eyes felt heavy." % c.his,
                        "%s made a wish and closed %s eyes." % (c.name, c.his),
                        "%s listened to the quiet night and yawned." % c.name]))
    st.opt("Soon %s was fast asleep, dreaming of %s." % (c.name, g.pick(["the sky", "flying", "the sea", "tomorrow", "a castle in the clouds"])))
    return st


def story_pet(g):
    c = make_char(g, animal=False)
    kind = g.pick(["puppy", "kitten", "rabbit", "goldfish", "hamster", "parrot", "turtle", "guinea pig"])
    pet = g.pick(PET_NAMES)
    st = Story()
    st.core(opening(g, c))
    st.core(g.pick(["For %s birthday, %s got a little %s." % (c.his, c.name, kind),
                    "%s had always wanted a pet, and one day %s %s brought home a %s." % (c.name, c.his, g.pick(FAMILY), kind),
                    "One day, a small %s followed %s home from %s." % (kind, c.name, g.pick(["school", "the park", "the market", "the river"]))]))
    st.opt(say(g, c.name, g.pick(["I will call you %s!" % pet, "Your name is %s." % pet, "Hello, %s. Welcome home." % pet])))
    st.core("%s named the %s %s." % (cap(c.he), kind, pet) if g.chance(0.5) else "The %s's name was %s." % (kind, pet))
    st.opt(g.pick(["Every morning, %s gave %s fresh water and food." % (c.name, pet),
                   "%s learned how to look after %s." % (c.name, pet),
                   "%s and %s did everything together." % (c.name, pet)]))
    st.core(g.pick(["One day, %s %s." % (pet, g.pick(["got out of the garden gate", "hid and would not come out", "was not in %s bed" % g.pick(["its", "its little"]), "ran after a butterfly and was gone"])),
                    "%s taught %s %s." % (c.name, pet, g.pick(["to sit", "a funny trick", "to come when called", "to wave a paw"]))]))
    st.opt(say(g, c.name, g.pick(["%s, where are you?" % pet, "Good job, %s!" % pet, "Come here, %s!" % pet])))
    st.core(g.pick(["In the end, %s was safe and sound %s." % (pet, g.pick(HIDING)),
                    "Soon %s came running back, wagging and wiggling." % pet,
                    "%s was the happiest %s in %s." % (pet, kind, g.pick(TOWNS))]))
    st.opt(g.pick(["%s hugged %s pet tight." % (c.name, c.his), endings(g, c)]))
    return st


def story_snow(g):
    c = make_char(g)
    f = make_char(g, avoid=(c.name,))
    st = Story()
    st.core(opening(g, c))
    st.core(g.pick(["When %s woke up, everything outside was white." % c.he,
                    "%s looked out of the window. It had snowed all night!" % c.name,
                    "It was the first snow of the winter."]))
    st.opt(say(g, c.name, g.pick(["Snow! Can I go outside?", "Look at all the snow!", "Let's build something!"])))
    st.core("%s put on %s." % (cap(c.he), join_list(g.sample(["a warm coat", "a woolly hat", "two mittens", "big boots", "a long scarf"], 3))))
    st.core(g.pick(["Outside, %s met %s, and they %s." % (c.he, f.name, g.pick(["built a snowman", "had a snowball fight", "made snow angels", "went sledding down the hill", "made a little snow fort"])),
                    "%s and %s %s all morning." % (c.name, f.name, g.pick(["threw snowballs", "slid on the ice", "made footprints in the snow", "built a tall snowman"]))]))
    st.opt(g.pick(["Their cheeks turned pink from the cold.", "%s slipped and fell in the snow, but %s only laughed." % (f.name, f.he),
                   "The snow crunched under their boots."]))
    st.opt(g.pick(["Later they went inside and drank warm cocoa.", "When their fingers got cold, they went home for soup.",
                   endings(g, c, f)]))
    return st


def story_school(g):
    c = make_char(g, animal=False)
    teacher = "%s %s" % (g.pick(["Mrs.", "Mr.", "Miss", "Ms."]), g.pick(["Green", "Brown", "Hill", "Lane", "Park", "Wood", "Stone", "Bell", "Reed", "Moss"]))
    skill = g.pick([("read a whole book", "the words were hard", "read one page every night"),
                    ("count to one hundred", "the numbers got mixed up", "counted the stairs every day"),
                    ("write %s name" % c.his, "the letters were wobbly", "practiced on the back of old envelopes"),
                    ("paint a tree", "the colors ran together", "waited for each color to dry"),
                    ("play a song on the recorder", "the notes squeaked", "played a little every afternoon"),
                    ("jump rope", "the rope kept catching %s feet" % c.his, "counted the jumps out loud")])
    st = Story()
    st.core(opening(g, c))
    st.core("At school, %s wanted to learn to %s." % (c.name, skill[0]))
    st.core("But %s." % skill[1])
    st.opt(say(g, c.name, g.pick(["I can't do it.", "It is too hard for me.", "Everyone else can do it."])))
    st.opt(say(g, teacher, g.pick(["Everyone learns at their own speed.", "Keep trying. You are getting better.", "Mistakes help us learn."])))
    st.core("So %s %s." % (c.he, skill[2]))
    st.core(g.pick(["After %s, %s could do it!" % (g.pick(["a week", "two weeks", "a month", "many days"]), c.name),
                    "Slowly, it got easier."]))
    st.opt(g.pick(["%s gave %s a gold star." % (teacher, c.him), "%s showed the whole class." % cap(c.he), endings(g, c)]))
    return st


def story_quarrel(g):
    c = make_char(g)
    f = make_char(g, avoid=(c.name,))
    thing = obj_phrase(g)
    st = Story()
    st.core(opening(g, c))
    st.core("%s and %s were best friends, but one day they had a fight." % (c.name, f.name))
    st.core(g.pick(["They both wanted to play with the %s." % thing,
                    "%s said the %s was %s, and %s said it was %s." % (c.name, thing, "hers" if c.g == "f" else "his", f.name, "hers" if f.g == "f" else "his"),
                    "They could not agree on which game to play."]))
    st.opt(say(g, f.name, g.pick(["It's mine!", "You never share!", "I don't want to play with you anymore."])))
    st.opt("%s went home feeling %s." % (c.name, g.pick(["sad", "grumpy", "cross", "lonely"])))
    st.core(g.pick(["The next day, %s went to %s house." % (c.name, f.name + "'s"),
                    "After a while, %s missed %s friend." % (c.name, c.his)]))
    st.opt(say(g, c.name, g.pick(["I'm sorry. Can we be friends again?", "I missed you.", "Let's take turns."])))
    st.core(g.pick(["They decided to take turns.", "They hugged and made up.", "They both said sorry and laughed about it."]))
    st.opt(g.pick(["Being friends was better than being right.", endings(g, c, f)]))
    return st


def story_dream(g):
    c = make_char(g)
    st = Story()
    st.core(opening(g, c))
    st.core(g.pick(["One night, %s had a wonderful dream." % c.name, "That night, %s dreamed that %s could fly." % (c.name, c.he)]))
    where = g.pick(["over the rooftops", "above the clouds", "to the moon", "under the sea", "to a land made of candy", "to a castle in the sky"])
    st.core("In the dream, %s went %s." % (c.he, where))
    st.opt("%s met %s who %s." % (cap(c.he), an(g.pick(["friendly", "talking", "tiny", "giant", "sleepy"]) + " " + g.pick(ANIMALS)),
                                 g.pick(["showed %s the way" % c.him, "sang a silly song", "told %s a secret" % c.him, "gave %s a shiny stone" % c.him])))
    st.opt(say(g, c.name, g.pick(["This is amazing!", "Where am I?", "I never want to wake up."])))
    st.core(g.pick(["Then %s woke up in %s own bed." % (c.he, c.his), "Then the sun came through the window, and %s opened %s eyes." % (c.he, c.his)]))
    st.opt(g.pick(["%s told %s %s all about it at breakfast." % (c.name, c.his, g.pick(FAMILY)),
                   "It was only a dream, but %s smiled all day." % c.he]))
    return st


def story_picnic(g):
    c = make_char(g)
    role = g.pick(FAMILY)
    place = g.pick(["park", "beach", "meadow", "hill", "lake", "river"])
    at, things = PLACES[place]
    thief = g.pick([("a line of ants", "marched away with the crumbs"), ("a cheeky seagull", "flew off with a sandwich"),
                    ("two ducks", "waddled over and ate the bread"), ("a hungry dog", "ran off with a sausage"),
                    ("the wind", "blew the napkins away")])
    st = Story()
    st.core(opening(g, c))
    st.core("%s, %s and %s %s had a picnic %s." % (g.pick(TIMES), c.name, c.his, role, at))
    st.opt("They spread a blanket near %s." % g.pick(things))
    st.core("They had %s." % join_list(g.sample(["sandwiches", "apples", "grapes", "lemonade", "cheese", "cake", "carrot sticks", "cookies"], 3)))
    st.core("But then %s %s!" % thief)
    st.opt(say(g, c.name, g.pick(["Hey, come back!", "That's our lunch!", "Oh no!"]), "shouted"))
    st.core(g.pick(["%s could not stop laughing." % c.name, "Everyone laughed, and they shared what was left.",
                    "It was a funny picnic they would never forget."]))
    st.opt(g.pick([endings(g, c), "They packed up and walked home as the sun went down."]))
    return st


def story_winter_store(g):
    kind = g.pick(["squirrel", "mouse", "hedgehog", "bear", "badger", "chipmunk"])
    name = g.pick(PET_NAMES)
    sex = "f" if g.chance(0.5) else "m"
    p = pron(sex)
    food = {"squirrel": "nuts", "mouse": "seeds", "hedgehog": "beetles and berries", "bear": "berries and fish",
            "badger": "worms and roots", "chipmunk": "acorns"}[kind]
    st = Story()
    st.core("%s was %s who lived %s." % (name, an(g.pick(ANIMAL_ADJ) + " " + kind), g.pick(ANIMAL_HOMES)))
    st.core("Winter was coming, and %s needed to gather %s." % (name, food))
    st.opt("Every day, %s worked from morning until night." % p["he"])
    st.core("%s friend, the %s, %s." % (cap(p["his"]), g.pick(["grasshopper", "rabbit", "bird", "frog", "cricket"]),
                                        g.pick(["only wanted to play", "said there was lots of time", "sang and danced all day"])))
    st.core("When the snow came, %s had plenty to eat." % name)
    st.opt(say(g, name, g.pick(["Come in, there is enough for both of us.", "You can share my food.", "Next year, let's work together."])))
    st.core(g.pick(["%s shared %s food, and they stayed warm all winter." % (name, p["his"]), "They were cozy and safe until spring."]))
    return st


STORY_KINDS = [story_lost, story_friend, story_share, story_fear, story_help, story_weather, story_make,
               story_cook, story_trip, story_gift, story_race, story_garden, story_find, story_honest,
               story_night, story_pet, story_snow, story_school, story_quarrel, story_dream, story_picnic,
               story_winter_store]


class Story:
    """Sentences in order; optional ones may be dropped to fit the length."""

    def __init__(self):
        self.items = []

    def core(self, s):
        self.items.append((s, True))

    def opt(self, s):
        self.items.append((s, False))


def make_story(g):
    st = g.pick(STORY_KINDS)(g)
    target = g.randint(3, 8)
    items = [(s, req, count_sentences(s)) for s, req in st.items]
    total = sum(n for _, _, n in items)
    optional = [i for i, (_, req, _) in enumerate(items) if not req]
    g.shuffle(optional)
    drop = set()
    for i in optional:
        if total <= target:
            break
        drop.add(i)
        total -= items[i][2]
    # Now and then an optional sentence goes even when the story is short.
    for i in optional:
        if i not in drop and total > 3 and g.chance(0.1):
            drop.add(i)
            total -= items[i][2]
    out = [s for i, (s, _, _) in enumerate(items) if i not in drop]
    text = " ".join(out)
    if len(out) >= 5 and g.chance(0.4):
        cut = g.randint(2, len(out) - 2)
        text = " ".join(out[:cut]) + "\n\n" + " ".join(out[cut:])
    return text


def count_sentences(s):
    return max(1, len(split_sentences(s)))


_SENT_RE = re.compile(r'(?<=[.!?])["]?\s+(?=["A-Z0-9])')


def split_sentences(text):
    parts = []
    for para in text.split("\n"):
        for s in _SENT_RE.split(para):
            s = s.strip()
            if s:
                parts.append(s)
    return parts


# ---------------------------------------------------------------------------
# Chats
# ---------------------------------------------------------------------------

SYSTEM_PROMPTS = [
    "You are a helpful assistant.",
    "You are a helpful assistant.",
    "You are a helpful assistant.",
    "You are a friendly assistant. Give short, clear answers.",
    "You are a kind helper. Keep your answers simple.",
    "You are a helpful assistant who answers questions in plain English.",
    "You are a patient assistant who explains things simply.",
    "Answer the user's questions helpfully and briefly.",
]


def greeting_chat(g):
    hi = g.pick(["Hi!", "Hello!", "Hey there.", "Good morning!", "Good evening.", "Hi, how are you?",
                 "Hello, who are you?", "Hi there! What can you do?", "Good afternoon!", "Hey!",
                 "Hello. Can you help me?", "What is your name?"])
    if "who are you" in hi or "name" in hi:
        a = g.pick(["I am a small helpful assistant. I can answer simple questions, do easy sums and tell short stories.",
                    "I'm a helpful assistant. I don't have a name, but I'm happy to help you with questions, stories and simple math.",
                    "I am an assistant. Ask me a question, and I will do my best to answer it."])
    elif "what can you do" in hi.lower():
        a = g.pick(["Hello! I can answer simple questions, explain words, help with small sums, give ideas and tell short stories. What would you like?",
                    "Hi! I can tell stories, explain what words mean, do easy math and give simple advice. How can I help?"])
    elif "how are you" in hi:
        a = g.pick(["I'm doing well, thank you for asking! How can I help you today?",
                    "I'm fine, thanks! What would you like to talk about?",
                    "Very well, thank you. What can I do for you?"])
    else:
        a = g.pick(["Hello! How can I help you today?", "Hi! What can I do for you?",
                    "Hello there! What would you like to know?", "Hi! I'm happy to help. What do you need?",
                    "Good to see you! How can I help?"])
        if hi.startswith("Good"):
            a = hi.rstrip(".!") + "! " + g.pick(["How can I help you today?", "What can I do for you?",
                                                  "What would you like to talk about?"])
    return [("user", hi), ("assistant", a)]


def thanks_turns(g):
    u = g.pick(["Thank you!", "Thanks!", "Thanks a lot.", "Great, thank you.", "That helps, thanks.", "Cool, thanks!"])
    a = g.pick(["You're welcome!", "You're welcome! Let me know if you have another question.",
                "Happy to help!", "Any time. Have a nice day!", "You're welcome. Is there anything else I can do?"])
    return [("user", u), ("assistant", a)]


def arith_chat(g):
    op = g.pick(["+", "+", "-", "-", "*", "/", "word", "word", "compare", "next", "count"])
    if op == "+":
        a, b = g.randint(0, 20), g.randint(0, 20)
        r = a + b
        q = g.pick(["What is %d plus %d?", "What is %d + %d?", "Can you add %d and %d?", "How much is %d and %d together?",
                    "%d + %d = ?", "Please add %d to %d."]) % (a, b)
        ans = g.pick(["%d plus %d is %d." % (a, b, r), "%d + %d = %d." % (a, b, r), "The answer is %d." % r,
                      "%d and %d make %d." % (a, b, r)])
    elif op == "-":
        a = g.randint(1, 20)
        b = g.randint(0, a)
        r = a - b
        q = g.pick(["What is %d minus %d?", "What is %d - %d?", "Can you take %d away from %d?" , "%d - %d = ?"])
        if "away" in q:
            q = q % (b, a)
        else:
            q = q % (a, b)
        ans = g.pick(["%d minus %d is %d." % (a, b, r), "%d - %d = %d." % (a, b, r), "The answer is %d." % r,
                      "If you take %d away from %d, you get %d." % (b, a, r)])
    elif op == "*":
        a, b = g.randint(1, 10), g.randint(1, 10)
        r = a * b
        q = g.pick(["What is %d times %d?", "What is %d x %d?", "What is %d multiplied by %d?", "Can you multiply %d by %d?"]) % (a, b)
        ans = g.pick(["%d times %d is %d." % (a, b, r), "%d x %d = %d." % (a, b, r), "The answer is %d." % r])
        if g.chance(0.3) and a <= 5:
            ans += " That is the same as adding %d %d times: %s." % (b, a, " + ".join([str(b)] * a))
    elif op == "/":
        b = g.randint(1, 10)
        r = g.randint(1, 10)
        a = b * r
        q = g.pick(["What is %d divided by %d?", "What is %d / %d?", "How many times does %d go into %d?"])
        q = q % ((b, a) if "go into" in q else (a, b))
        ans = g.pick(["%d divided by %d is %d." % (a, b, r), "%d / %d = %d." % (a, b, r), "The answer is %d." % r,
                      "%d goes into %d exactly %d times." % (b, a, r)])
    elif op == "word":
        c = make_char(g, animal=False)
        food, foods = g.pick(FOODS + [o for o in OBJECTS if o[0] not in ("sock",)])
        a = g.randint(2, 12)
        b = g.randint(1, 9)
        if g.chance(0.5):
            r = a + b
            q = "%s has %d %s. %s gets %d more. How many %s does %s have now?" % (c.name, a, foods, cap(c.he), b, foods, c.he)
            ans = g.pick(["%s has %d %s now, because %d + %d = %d." % (c.name, r, foods, a, b, r),
                          "%d + %d = %d, so %s has %d %s." % (a, b, r, c.he, r, foods)])
        else:
            b = g.randint(1, a)
            r = a - b
            verb = g.pick(["gives away", "loses", "eats" if (food, foods) in FOODS else "gives away"])
            q = "%s has %d %s. %s %s %d. How many are left?" % (c.name, a, foods, cap(c.he), verb, b)
            ans = g.pick(["%s has %d %s left, because %d - %d = %d." % (c.name, r, foods, a, b, r),
                          "%d - %d = %d, so there are %d left." % (a, b, r, r)])
    elif op == "compare":
        a, b = g.sample(range(0, 100), 2)
        q = g.pick(["Which is bigger, %d or %d?", "Which number is larger: %d or %d?", "Is %d more than %d?"]) % (a, b)
        if q.startswith("Is"):
            ans = ("Yes, %d is more than %d." % (a, b)) if a > b else ("No, %d is less than %d." % (a, b))
        else:
            ans = "%d is bigger than %d." % (max(a, b), min(a, b))
    elif op == "next":
        a = g.randint(0, 98)
        if g.chance(0.5):
            q = g.pick(["What number comes after %d?", "What is the next number after %d?"]) % a
            ans = "%d comes after %d." % (a + 1, a)
        else:
            a += 1
            q = "What number comes before %d?" % a
            ans = "%d comes before %d." % (a - 1, a)
    else:
        start = g.randint(1, 10)
        step = g.pick([1, 2, 5, 10])
        n = g.randint(4, 7)
        seq = [start * (step if step > 1 else 1) + i * step for i in range(n)] if step > 1 else [start + i for i in range(n)]
        q = g.pick(["Can you count by %ds starting at %d?" % (step, seq[0]), "Count by %ds from %d, please." % (step, seq[0])])
        if step == 1:
            q = g.pick(["Can you count from %d to %d?" % (seq[0], seq[-1]), "Please count from %d to %d." % (seq[0], seq[-1])])
        ans = "Sure: " + ", ".join(str(x) for x in seq) + "."
    return [("user", q), ("assistant", ans)]


def definition_chat(g):
    word, pos, defi, ex = g.pick(DEFINITIONS)
    q = g.pick(["What does \"%s\" mean?", "What does the word %s mean?", "What is the meaning of %s?", "Define %s.",
                "Can you explain the word \"%s\"?", "What does %s mean?", "I don't know the word %s. What is it?",
                "Tell me what %s means."]) % word
    if pos == "noun":
        subject = cap(word) if word in ("courage", "friendship", "thunder", "breakfast") else cap(an(word))
        head = g.pick(["%s is %s." % (subject, defi),
                       "The word \"%s\" means %s." % (word, defi),
                       "%s is a noun. It means %s." % (cap(word), defi)])
    elif pos == "verb":
        head = g.pick(["To %s means %s." % (word, defi),
                       "\"%s\" is a verb. It means %s." % (cap(word), defi),
                       "The word \"%s\" means %s." % (word, defi)])
    elif pos == "adjective":
        forms = ["\"%s\" means %s." % (cap(word), defi), "\"%s\" is an adjective. It means %s." % (cap(word), defi)]
        if defi.split(" ", 1)[0] in ("very", "soft", "flat", "not", "warm", "bright", "extremely", "easy", "covered",
                                     "normal", "strong", "tired", "sad", "quiet", "friendly", "funny", "happy", "quick"):
            forms.append("When something is %s, it is %s." % (word, defi))
        head = g.pick(forms)
    else:
        head = "\"%s\" means %s." % (cap(word), defi)
    ans = head
    if g.chance(0.8):
        ans += " " + g.pick(["For example: ", "Here is an example: ", "You could say: ", "Example: "]) + ex
    return [("user", q), ("assistant", ans)]


def fact_chat(g):
    t = g.r.randrange(14)
    if t <= 3:
        kind, plural, sound, food, home, legs, baby = g.pick(ANIMAL_FACTS)
        qtype = g.r.randrange(5)
        if qtype == 0:
            if g.chance(0.5):
                q = g.pick(["What sound does %s make?", "What does %s say?", "What noise does %s make?"]) % an(kind)
                plain = sound.startswith("make") or sound in ("sing", "chatter", "trumpet")
                ans = ("%s %s." % (cap(an(kind)), sound.replace("make", "makes") if sound.startswith("make") else sound + "s")) if plain \
                    else "%s says \"%s\"." % (cap(an(kind)), sound)
            else:
                q = g.pick(["What noise do %s make?", "What sound do %s make?"]) % plural
                plain = sound.startswith("make") or sound in ("sing", "chatter", "trumpet")
                ans = ("%s %s." % (cap(plural), sound)) if plain else "%s go \"%s\"." % (cap(plural), sound)
        elif qtype == 1:
            q = g.pick(["What do %s eat?" % plural, "What food does %s eat?" % an(kind)])
            ans = "%s eat %s." % (cap(plural), food)
        elif qtype == 2:
            q = g.pick(["Where do %s live?" % plural, "Where does %s live?" % an(kind)])
            ans = "%s live %s." % (cap(plural), home)
        elif qtype == 3:
            q = "How many legs does %s have?" % an(kind)
            ans = ("%s has no legs." % cap(an(kind))) if legs == 0 else "%s has %s legs." % (cap(an(kind)), NUMBER_WORDS[legs])
        else:
            q = g.pick(["What is a baby %s called?" % kind, "What do you call a young %s?" % kind])
            ans = "A baby %s is called %s." % (kind, an(baby))
    elif t == 4:
        thing, color = g.pick(THING_COLORS)
        q = g.pick(["What color is %s?", "What colour is %s?"]) % thing
        ans = "%s is %s." % (cap(thing), color) if not thing.startswith("the sky") else "The sky on a clear day is blue."
    elif t == 5:
        a, b = g.pick(OPPOSITES)
        if g.chance(0.5):
            a, b = b, a
        q = g.pick(["What is the opposite of %s?", "What is the opposite of \"%s\"?", "Tell me the opposite of %s."]) % a
        ans = "The opposite of %s is %s." % (a, b)
    elif t == 6:
        i = g.randint(0, 6)
        kind = g.r.randrange(3)
        if kind == 0:
            q = "What day comes after %s?" % DAYS[i]
            ans = "%s comes after %s." % (DAYS[(i + 1) % 7], DAYS[i])
        elif kind == 1:
            q = "What day comes before %s?" % DAYS[i]
            ans = "%s comes before %s." % (DAYS[(i - 1) % 7], DAYS[i])
        else:
            q = g.pick(["How many days are in a week?", "What are the days of the week?"])
            ans = "There are seven days in a week: " + join_list(DAYS) + "."
    elif t == 7:
        i = g.randint(0, 11)
        kind = g.r.randrange(3)
        if kind == 0:
            q = "What month comes after %s?" % MONTHS[i]
            ans = "%s comes after %s." % (MONTHS[(i + 1) % 12], MONTHS[i])
        elif kind == 1:
            q = "Which month is number %d in the year?" % (i + 1)
            ans = "Month number %d is %s." % (i + 1, MONTHS[i])
        else:
            q = "How many months are in a year?"
            ans = "There are twelve months in a year, from January to December."
    elif t == 8:
        s = g.randint(0, 3)
        desc = {"spring": "flowers bloom, baby animals are born and the days get longer",
                "summer": "it is warm, the days are long and many people go to the beach",
                "autumn": "the leaves turn red and yellow and fall from the trees",
                "winter": "it is cold, the days are short and sometimes it snows"}
        kind = g.r.randrange(3)
        if kind == 0:
            q = "What season comes after %s?" % SEASONS[s]
            ans = "%s comes after %s." % (cap(SEASONS[(s + 1) % 4]), SEASONS[s])
        elif kind == 1:
            q = g.pick(["What is %s like?", "Tell me about %s.", "What happens in %s?"]) % SEASONS[s]
            ans = "In %s, %s." % (SEASONS[s], desc[SEASONS[s]])
        else:
            q = "What are the four seasons?"
            ans = "The four seasons are spring, summer, autumn and winter."
    elif t == 9:
        shape, n = g.pick(SHAPES)
        q = g.pick(["How many sides does %s have?", "How many corners does %s have?"]) % an(shape)
        if n == 0:
            ans = "%s has no straight sides and no corners. It is perfectly round." % cap(an(shape))
        else:
            ans = "%s has %s %s." % (cap(an(shape)), NUMBER_WORDS[n], "sides" if "sides" in q else "corners")
    elif t == 10:
        sense, part = g.pick(SENSES)
        q = g.pick(["What do we use to %s?", "Which part of the body do we use to %s?"]) % sense
        ans = "We use our %s to %s." % (part, sense)
    elif t == 11:
        sing, plur = g.pick(IRREGULAR_PLURALS)
        q = g.pick(["What is the plural of %s?", "What do you call more than one %s?", "One %s, two what?"]) % sing
        ans = g.pick(["The plural of %s is %s." % (sing, plur), "One %s, two %s." % (sing, plur)])
    elif t == 12:
        w = g.pick(SPELL_WORDS)
        q = g.pick(["How do you spell %s?", "Can you spell the word %s?", "Spell %s, please."]) % w
        ans = "%s is spelled %s." % (cap(w), "-".join(w.upper()))
    else:
        pairs = [("How many minutes are in an hour?", "There are sixty minutes in an hour."),
                 ("How many hours are in a day?", "There are twenty-four hours in a day."),
                 ("How many seconds are in a minute?", "There are sixty seconds in a minute."),
                 ("How many days are in a year?", "There are 365 days in a year, or 366 in a leap year."),
                 ("Why do we need sleep?", "Sleep helps our body rest and grow, and it helps our brain remember what we learned."),
                 ("Why is it dark at night?", "At night, our side of the Earth is turned away from the Sun, so it gets dark."),
                 ("What is rain?", "Rain is water that falls from clouds in drops."),
                 ("What makes a rainbow?", "A rainbow appears when sunlight shines through drops of rain and splits into colors."),
                 ("Why do leaves fall in autumn?", "In autumn, many trees stop feeding their leaves to save energy for winter, so the leaves dry up and fall."),
                 ("What is ice?", "Ice is water that has frozen because it got very cold."),
                 ("What do plants need to grow?", "Plants need water, sunlight, air and good soil to grow."),
                 ("Why should I wash my hands?", "Washing your hands with soap removes germs, so you are less likely to get sick."),
                 ("What is the moon?", "The moon is a big ball of rock that goes around the Earth. It shines because the Sun lights it up."),
                 ("How many colors are in a rainbow?", "A rainbow is often said to have seven colors: red, orange, yellow, green, blue, indigo and violet."),
                 ("What is the biggest animal?", "The blue whale is the biggest animal. It lives in the ocean."),
                 ("Can fish breathe under water?", "Yes. Fish use gills to take air out of the water."),
                 ("What is a baby frog called?", "A baby frog is called a tadpole. It lives in water and has a tail."),
                 ("Where does milk come from?", "Most of the milk we drink comes from cows, but goats and sheep give milk too."),
                 ("Where does honey come from?", "Honey is made by bees from the nectar of flowers."),
                 ("What is the sun?", "The sun is a star. It is very hot and gives us light and warmth."),
                 ("Is a tomato a fruit?", "Yes. A tomato is a fruit because it grows from a flower and has seeds, but people often cook it like a vegetable."),
                 ("Why do cats purr?", "Cats often purr when they are happy and relaxed, and sometimes to calm themselves."),
                 ("What is snow?", "Snow is frozen water that falls from clouds as soft white flakes when it is very cold.")]
        q, ans = g.pick(pairs)
    return [("user", q), ("assistant", ans)]


HOWTOS = {
    "make a cup of tea": [["Boil some water in a kettle."], ["Put a tea bag in a cup.", "Put a tea bag in your mug."],
                          ["Pour the hot water over the tea bag.", "Carefully pour the hot water into the cup."],
                          ["Wait three to five minutes.", "Let it steep for a few minutes."],
                          ["Take out the tea bag and add milk or honey if you like."]],
    "wash my hands": [["Wet your hands with clean water."], ["Put some soap on them."],
                      ["Rub your hands together for about twenty seconds, between your fingers too.",
                       "Scrub the fronts, the backs and between your fingers."],
                      ["Rinse off the soap."], ["Dry your hands with a clean towel."]],
    "plant a seed": [["Fill a small pot with soil."], ["Make a little hole with your finger."],
                     ["Drop the seed in and cover it with soil."], ["Water it gently."],
                     ["Put the pot in a sunny place and keep the soil a little wet."]],
    "make a sandwich": [["Take two slices of bread."], ["Spread butter on one side of each slice."],
                        ["Add a filling, like cheese, ham or cucumber.", "Put your filling on one slice."],
                        ["Put the other slice on top."], ["Cut it in half and enjoy."]],
    "brush my teeth": [["Put a small amount of toothpaste on your toothbrush."],
                       ["Brush the front, back and top of every tooth.", "Brush gently in small circles."],
                       ["Brush for about two minutes."], ["Spit out the toothpaste and rinse your brush."]],
    "tie my shoes": [["Cross the two laces and pull one under the other to make a knot."],
                     ["Make a loop with one lace."], ["Wrap the other lace around the loop."],
                     ["Push that lace through the hole to make a second loop."], ["Pull both loops tight."]],
    "make a paper boat": [["Take a rectangle of paper and fold it in half from top to bottom."],
                          ["Fold the two top corners down to the middle."], ["Fold the bottom strips up on both sides."],
                          ["Open the middle and flatten it into a square."], ["Fold it up again and gently pull the sides out."]],
    "clean my room": [["Pick up everything on the floor."], ["Put toys and books back where they belong."],
                      ["Put dirty clothes in the laundry basket."], ["Make your bed."],
                      ["Dust the shelves and sweep the floor."]],
    "fold a shirt": [["Lay the shirt flat, face down."], ["Fold one side and its sleeve to the middle."],
                     ["Do the same with the other side."], ["Fold the shirt in half from the bottom up."]],
    "water a plant": [["Check if the soil is dry by touching it."], ["If it is dry, pour water slowly around the base of the plant."],
                      ["Stop when water starts to come out of the bottom of the pot."], ["Empty the saucer so the roots do not sit in water."]],
    "make friends at a new school": [["Smile and say hello to the people near you."], ["Ask them their names and what they like."],
                                     ["Invite someone to play or sit with you at lunch."], ["Be kind and listen when others talk."],
                                     ["Be patient. Friendships take a little time."]],
    "fall asleep faster": [["Go to bed at the same time each night."], ["Put away screens an hour before bed."],
                           ["Keep your room dark, quiet and cool."], ["Take slow, deep breaths."],
                           ["Think about something calm, like waves on a beach."]],
    "make a fruit salad": [["Wash the fruit."], ["Peel the fruit that needs peeling, like bananas and oranges."],
                           ["Cut everything into small pieces."], ["Put the pieces in a bowl and mix them gently."],
                           ["Add a little orange juice so it stays fresh."]],
    "write a letter": [["Write the date at the top."], ["Start with a greeting, like \"Dear Sam,\"."],
                       ["Write what you want to say in a few short paragraphs."],
                       ["End with a closing, like \"Best wishes,\" and your name."],
                       ["Fold it, put it in an envelope and write the address on the front."]],
    "learn to ride a bike": [["Find a flat, quiet place with soft grass nearby."], ["Put on a helmet."],
                             ["Start by pushing with your feet to glide and balance."], ["When you can balance, try pedaling slowly."],
                             ["Look ahead, not down, and practice a little every day."]],
    "make pancakes": [["Mix one cup of flour, one egg and one cup of milk in a bowl."], ["Heat a pan with a little butter."],
                      ["Pour in a small scoop of batter."], ["When bubbles appear, flip the pancake."],
                      ["Cook the other side for a minute, then serve."]],
    "care for a goldfish": [["Keep it in a big tank with a filter, not a small bowl."], ["Feed it a small pinch of fish food once or twice a day."],
                            ["Change part of the water every week."], ["Keep the tank out of direct sunlight."]],
    "pack for a picnic": [["Bring a blanket to sit on."], ["Pack sandwiches, fruit and water."],
                          ["Add napkins and a bag for rubbish."], ["Take a ball or a book for fun."],
                          ["Check the weather before you go."]],
    "save money": [["Decide what you are saving for."], ["Put a little money aside every week."],
                   ["Keep it in a jar or a savings account."], ["Think twice before buying things you do not need."]],
    "remember things better": [["Write important things down."], ["Say them out loud or teach them to someone."],
                               ["Review them again the next day."], ["Get enough sleep."]],
    "build a snowman": [["Roll a small snowball across the snow until it grows big for the body."],
                        ["Roll a medium ball and lift it on top."], ["Add a small ball for the head."],
                        ["Use stones for the eyes and a carrot for the nose."], ["Add sticks for arms and a scarf to keep it warm."]],
    "stay cool on a hot day": [["Drink plenty of water."], ["Stay in the shade in the middle of the day."],
                               ["Wear light, loose clothes and a hat."], ["Take a cool shower or splash your face."]],
    "make a bird feeder": [["Take a pine cone and tie a string to the top."], ["Spread peanut butter all over it."],
                           ["Roll it in bird seed."], ["Hang it from a tree branch where you can see it."]],
    "calm down when I feel angry": [["Stop and take five slow breaths."], ["Count to ten in your head."],
                                    ["Walk away for a moment if you need to."], ["Say how you feel with words, like \"I feel upset because...\""]],
    "boil an egg": [["Put the egg in a small pot and cover it with cold water."], ["Bring the water to a boil."],
                    ["Cook for seven minutes for a soft yolk, or ten minutes for a hard one."],
                    ["Move the egg into cold water, then peel it."]],
}


def howto_chat(g):
    task = g.pick(list(HOWTOS.keys()))
    steps = [g.pick(alts) for alts in HOWTOS[task]]
    you_task = task.replace(" my ", " your ").replace(" I ", " you ")
    q = g.pick(["How do I %s?", "Can you tell me how to %s?", "What are the steps to %s?",
                "I want to %s. What should I do?", "How can I %s?", "Please explain how to %s."]) % task
    style = g.r.randrange(3)
    intro = g.pick(["Here is how to %s:" % you_task, "Sure! Here are the steps:", "It is easy. Here is what to do:",
                    "Here's a simple way to %s:" % you_task, ""])
    if style == 0:
        body = "\n".join("%d. %s" % (i + 1, s) for i, s in enumerate(steps))
    elif style == 1:
        words = ["First", "Next", "Then", "After that", "Finally"]
        parts = []
        for i, s in enumerate(steps):
            w = words[min(i, 3)] if i < len(steps) - 1 else "Finally"
            parts.append("%s, %s" % (w, s[0].lower() + s[1:]))
        body = " ".join(parts)
    else:
        body = "\n".join("- " + s for s in steps)
    ans = (intro + ("\n" if style != 1 else " ") + body) if intro else body
    if g.chance(0.3):
        ans += "\n" + g.pick(["Good luck!", "That's it!", "Have fun!", "I hope this helps."]) if style != 1 else " " + g.pick(["Good luck!", "That's it!", "Have fun!"])
    return [("user", q), ("assistant", ans)]


def title(g):
    t = g.r.randrange(5)
    if t == 0:
        return "The %s %s" % (cap(g.pick(["little", "brave", "lost", "sleepy", "hidden", "secret", "last", "magic", "tiny", "happy"])),
                              cap(g.pick(["fox", "boat", "garden", "dragon", "lighthouse", "key", "owl", "island", "train", "kite"])))
    if t == 1:
        return "%s and the %s" % (g.pick(GIRL_NAMES + BOY_NAMES), cap(g.pick(["Moon", "Giant Pumpkin", "Blue Door", "Rainy Day", "Lost Map", "Silver Shell", "Big Race"])))
    if t == 2:
        return "A %s in %s" % (cap(g.pick(["Summer", "Day", "Night", "Week", "Winter"])), g.pick(TOWNS))
    if t == 3:
        return "The %s Who %s" % (cap(g.pick(ANIMALS)), g.pick(["Could Not Sleep", "Loved to Sing", "Wanted to Fly", "Lost a Shoe", "Was Afraid of the Dark", "Found a Star"]))
    return "%s's %s" % (g.pick(PET_NAMES), cap(g.pick(["Big Adventure", "Busy Day", "New Friend", "Secret Garden", "Long Walk"])))


def recommend_chat(g):
    t = g.r.randrange(9)
    if t == 0:
        q = g.pick(["Can you recommend a book for a rainy day?", "What book should I read next?", "Do you know a good story book for a child?",
                    "Recommend a book, please."])
        a = "You could try \"%s\". %s" % (title(g), g.pick(["It is a gentle story about friendship.", "It is funny and short, so it is good for bedtime.",
                                                            "It has lovely pictures and a happy ending.", "It is an adventure with a surprise at the end."]))
        if g.chance(0.5):
            a += " If you like it, \"%s\" is also a good choice." % title(g)
    elif t == 1:
        w = g.pick(["sunny", "rainy", "snowy", "windy", "cold"])
        acts = {"sunny": ["have a picnic in the park", "go for a bike ride", "play ball outside", "visit the beach", "plant some flowers"],
                "rainy": ["build a blanket fort", "bake cookies", "read a book", "do a puzzle", "paint a picture", "play a board game"],
                "snowy": ["build a snowman", "go sledding", "make snow angels", "drink hot cocoa by the window"],
                "windy": ["fly a kite", "watch the clouds race", "collect fallen leaves", "make a paper windmill"],
                "cold": ["go for a brisk walk in warm clothes", "make soup", "read under a blanket", "do a jigsaw puzzle"]}[w]
        ideas = g.sample(acts, 3)
        q = g.pick(["What can I do on a %s day?", "Any ideas for a %s afternoon?", "What should we do today? It is %s outside."]) % w
        a = g.pick(["Here are some ideas: you could %s.", "On a %s day you could %s." % (w, "%s"), "How about this: %s."]) % join_list(ideas)
        a = cap(a)
    elif t == 2:
        q = g.pick(["What is a healthy snack?", "What should I eat for breakfast?", "Can you suggest a quick snack?"])
        items = g.sample(["an apple", "a banana", "yogurt with fruit", "carrot sticks", "a handful of nuts", "toast with peanut butter",
                          "oatmeal with berries", "a boiled egg", "cheese and crackers", "a pear"], 3)
        a = "Good choices are %s. %s" % (join_list(items), g.pick(["They give you energy and keep you full.", "They are simple and good for you.",
                                                                   "Drink a glass of water too."]))
    elif t == 3:
        kind = g.pick(["cat", "dog", "rabbit", "fish", "hamster", "parrot", "puppy", "kitten"])
        names = g.sample(PET_NAMES, 3)
        q = g.pick(["Can you suggest a name for my new %s?", "What should I name my %s?", "I got a %s. Any name ideas?"]) % kind
        a = "How about %s, %s or %s? %s" % (names[0], names[1], names[2], g.pick(["%s is short and easy to call." % names[0],
                                                                                  "Pick the one that fits your %s best." % kind]))
    elif t == 4:
        who = g.pick(["my mom", "my dad", "my friend", "my grandma", "my teacher", "my little brother", "my sister"])
        q = g.pick(["What gift can I give %s?", "I need a present for %s. Any ideas?", "What should I make for %s's birthday?"]) % who
        ideas = g.sample(["a handmade card", "a drawing", "a small plant", "homemade cookies", "a photo in a frame",
                          "a book", "a bracelet you made", "a letter saying why they are special", "a jar of sweets"], 3)
        a = "You could give %s %s. %s" % (who.replace("my ", "your "), join_list(ideas), g.pick(["A gift you make yourself shows you care.",
                                                                                           "The best gifts are personal.", "Add a kind note to make it special."]))
        q = q.replace("my mom's", "my mom's")
    elif t == 5:
        q = g.pick(["What game can we play with four people?", "Can you recommend a game for a party?", "What is a fun game to play outside?"])
        games = g.sample(["tag", "hide and seek", "musical chairs", "charades", "Simon says", "a treasure hunt", "red light, green light",
                          "a sack race", "I spy"], 2)
        a = "Try %s or %s. %s" % (games[0], games[1], g.pick(["They are easy to learn and everyone can join in.", "You don't need anything special to play.",
                                                              "Both are lots of fun with friends."]))
    elif t == 6:
        town = g.pick(TOWNS)
        place = g.pick(["park", "beach", "lake", "market", "library", "zoo", "harbor", "hill"])
        q = g.pick(["Where should I go for a day out?", "What is a nice place for a family trip in %s?" % town,
                    "Where can we go in %s this weekend?" % town])
        a = "A trip to the %s is a good idea. %s" % (place, g.pick(["You can walk, have a picnic and look around.",
                                                                    "Bring water and comfortable shoes.", "It is fun for all ages."]))
    elif t == 7:
        q = g.pick(["What should I plant in my garden?", "Which flowers are easy to grow?", "What vegetables are easy to grow?"])
        plants = g.sample(["sunflowers", "beans", "tomatoes", "peas", "lettuce", "marigolds", "radishes", "mint", "daisies", "strawberries"], 3)
        a = "%s are easy to grow. %s" % (cap(join_list(plants)), g.pick(["Give them sun and water, and they will do well.",
                                                                          "Start with a small patch and water them often."]))
    else:
        q = g.pick(["What song can I sing with my class?", "Can you suggest a hobby?", "I am bored. What can I do?"])
        if "hobby" in q or "bored" in q:
            hob = g.sample(["drawing", "gardening", "reading", "learning to juggle", "collecting stones", "baking",
                            "writing a diary", "playing chess", "knitting", "bird watching"], 2)
            a = "You could try %s or %s. %s" % (hob[0], hob[1], g.pick(["Both are easy to start.", "Pick one and try it for a week."]))
        else:
            a = "A simple song that everyone knows, like a counting song or a song about the days of the week, works well. Clap along to keep the beat."
    return [("user", q), ("assistant", a)]


def story_request_chat(g):
    story = make_story(g)
    m = re.search(r"\b(named|called) ([A-Z][a-z]+)", story)
    first = split_sentences(story)[0]
    subj = None
    for k in ANIMALS:
        if re.search(r"\b%s\b" % k, first):
            subj = k
            break
    if m and g.chance(0.5):
        q = g.pick(["Tell me a short story about %s.", "Can you write a story about someone named %s?", "Write a little story about %s, please."]) % m.group(2)
    elif subj:
        q = g.pick(["Tell me a story about %s." % an(subj), "Can you tell me a short story about %s?" % an(subj),
                    "Write a bedtime story about %s." % an(subj)])
    else:
        q = g.pick(["Tell me a short story.", "Can you tell me a story?", "Write a short story for a child.", "I want a bedtime story.",
                    "Please tell me a story."])
    pre = g.pick(["", "", "Here is a short story.\n\n", "Of course! Here is one.\n\n", "Sure.\n\n"])
    return [("user", q), ("assistant", pre + story)]


def about_story_chat(g):
    """A question about a story the user gives."""
    story = make_story(g)
    m = re.search(r"\b(named|called) ([A-Z][a-z]+)", story)
    if not m:
        return story_request_chat(g)
    name = m.group(2)
    q = "%s\n\n%s" % (story, g.pick(["Who is this story about?", "What is the name of the main character?",
                                     "Who is the story about?"]))
    if g.chance(0.3):
        q = g.pick(["Read this story: ", "Here is a story. ", ""]) + q
    a = g.pick(["The story is about %s." % name, "It is about %s." % name, "The main character is %s." % name])
    return [("user", q), ("assistant", a)]


# Generic versions of the kinds of request the sample datasets teach.  They
# stay plain and neutral on purpose: fine-tuning is what adds a brand's voice,
# a product's facts, or the bare-SQL-for-one-schema habit.

SHOPS = ["shop", "cafe", "library", "bakery", "bookshop", "flower shop", "swimming pool", "post office", "museum", "toy shop"]


def writing_chat(g):
    shop = g.pick(SHOPS)
    day = g.pick(DAYS)
    t = g.r.randrange(6)
    if t == 0:
        q = g.pick(["Write a short sign saying the %s is closed on %s." % (shop, day),
                    "Can you write a notice that our %s will be closed this %s?" % (shop, day)])
        a = "The %s is closed on %s. We will be open again on %s at %d o'clock. Thank you for your understanding." % (
            shop, day, DAYS[(DAYS.index(day) + 1) % 7], g.randint(8, 10))
    elif t == 1:
        item = g.pick(["apple pie", "lemon cake", "coffee", "notebook", "garden chair", "sandwich", "pot of jam", "picture book"])
        q = g.pick(["Write one sentence about a new %s." % item, "Write a short description of a %s for a menu or a shop window." % item])
        a = "Our new %s is %s and %s. %s" % (item, g.pick(["fresh", "simple", "good value", "popular"]), g.pick(["made with care", "ready today", "available now"]),
                                             g.pick(["Come and try it.", "Ask at the counter.", "We hope you like it."]))
    elif t == 2:
        q = g.pick(["Write a reply to a customer who says thank you.", "How should I reply to a customer who liked our service?"])
        a = g.pick(["Thank you for your kind words. We are glad you had a good experience, and we hope to see you again soon.",
                    "You could write: \"Thank you for your message. We are happy to hear that you enjoyed your visit. See you again soon.\""])
    elif t == 3:
        q = g.pick(["Write a short apology to a customer whose order was late.", "A customer's order arrived late. What should I say?"])
        a = g.pick(["We are sorry that your order arrived late. We know this is frustrating. We are looking into what happened so it does not happen again.",
                    "You could say: \"I am sorry your order was late. Thank you for your patience. We will do our best to make sure it arrives on time next time.\""])
    elif t == 4:
        ev = g.pick(["a summer fair", "a book sale", "a cleaning day in the park", "a music evening", "a school play"])
        q = "Write a short invitation to %s on %s." % (ev, day)
        a = "You are invited to %s on %s at %d o'clock. Everyone is welcome. We hope to see you there!" % (ev, day, g.randint(2, 7))
    else:
        q = g.pick(["Give me a short slogan for a %s." % shop, "Write a tagline for a small %s." % shop])
        a = g.pick(["\"Good things, close to home.\"", "\"Friendly service every day.\"", "\"Quality you can count on.\"",
                    "\"Your local %s.\"" % shop, "\"Come in, you are welcome here.\""])
    return [("user", q), ("assistant", a)]


def support_chat(g):
    pairs = [
        ("How do I change my password?", "Most apps let you do this in the settings. Look for an account or security section, choose to change your password, and follow the steps. If you cannot find it, check the app's help pages."),
        ("I forgot my password. What should I do?", "On the sign-in screen, look for a link like \"Forgot password\". It usually sends you an email with a way to set a new one."),
        ("How do I turn on dark mode?", "Many apps have a dark mode in their settings, often under Display or Appearance. You can also turn it on for your whole phone or computer in the system settings."),
        ("The app is very slow. What can I do?", "Try closing the app and opening it again. If it is still slow, check that you have a good internet connection and that the app is up to date. Restarting your device can help too."),
        ("How do I update an app?", "On a phone, open the app store, find the app, and tap Update if it is there. On a computer, the app may have an update option in its menu."),
        ("My phone will not turn on.", "First, charge it for at least fifteen minutes. Then hold the power button for a few seconds. If it still does not start, the shop or maker of the phone can help."),
        ("How do I delete my account?", "Most services have this option in the account settings. If you cannot find it, contact the service's support team and ask them to close your account."),
        ("Can you help me with a problem?", "Of course. Please tell me what is happening and what you have already tried, and I will do my best to help."),
        ("How can I contact customer support?", "Look for a Help or Contact page on the company's website or in the app. It usually lists an email address or a form you can fill in."),
        ("I was charged twice. What should I do?", "I'm sorry about that. Please contact the company's support team with the date and amount of both charges. They can check and refund the extra one."),
        ("How do I export my data?", "Many apps have an export option in the settings or the account page. It usually saves a file you can open in a spreadsheet."),
        ("Is my information safe?", "Good services protect your data, but you can help too: use a strong password, do not share it, and turn on two-step sign-in if you can."),
        ("How do I turn off notifications?", "You can usually turn them off in the app's settings, or in your phone's settings under Notifications, where each app has its own switch."),
    ]
    q, a = g.pick(pairs)
    if g.chance(0.3):
        q = g.pick(["Hi. ", "Hello, ", "Quick question: "]) + q[0].lower() + q[1:] if not q.startswith("I") else g.pick(["Hi. ", "Hello. "]) + q
    return [("user", q), ("assistant", a)]


# Small generic tables: (name, [(column, SQL type)], example values, the
# column that names a row, a date column or None).
SQL_TABLES = [
    ("books", [("id", "INTEGER PRIMARY KEY"), ("title", "TEXT NOT NULL"), ("author", "TEXT NOT NULL"),
               ("year", "INTEGER"), ("pages", "INTEGER")],
     {"author": ["Ann Lee", "Tom Price", "Maria Ruiz"], "year": [1990, 2000, 2010, 2015]}, "title", None),
    ("pets", [("id", "INTEGER PRIMARY KEY"), ("name", "TEXT NOT NULL"),
              ("kind", "TEXT NOT NULL CHECK (kind IN ('dog', 'cat', 'rabbit', 'fish'))"), ("age", "INTEGER"),
              ("owner_id", "INTEGER REFERENCES owners(id)")],
     {"kind": ["dog", "cat", "rabbit", "fish"], "age": [2, 3, 5, 8]}, "name", None),
    ("students", [("id", "INTEGER PRIMARY KEY"), ("name", "TEXT NOT NULL"), ("grade", "INTEGER NOT NULL"),
                  ("city", "TEXT"), ("score", "REAL"), ("joined_on", "TEXT NOT NULL  -- 'YYYY-MM-DD'")],
     {"city": ["Brookside", "Foxley", "Oakridge"], "score": [50, 70, 80, 90], "grade": [3, 4, 5]}, "name", "joined_on"),
    ("fruits", [("id", "INTEGER PRIMARY KEY"), ("name", "TEXT NOT NULL UNIQUE"), ("color", "TEXT"),
                ("price", "REAL NOT NULL DEFAULT 0"), ("stock", "INTEGER NOT NULL DEFAULT 0")],
     {"color": ["red", "green", "yellow"], "price": [1, 2, 3]}, "name", None),
    ("orders", [("id", "INTEGER PRIMARY KEY"), ("customer", "TEXT NOT NULL"), ("item", "TEXT NOT NULL"),
                ("amount", "REAL NOT NULL"), ("ordered_at", "TEXT NOT NULL  -- 'YYYY-MM-DD HH:MM:SS'"),
                ("shipped_on", "TEXT  -- NULL until shipped")],
     {"item": ["lamp", "chair", "teapot"], "amount": [10, 25, 50]}, "customer", "ordered_at"),
    ("songs", [("id", "INTEGER PRIMARY KEY"), ("title", "TEXT NOT NULL"), ("singer", "TEXT NOT NULL"),
               ("year", "INTEGER"), ("length_seconds", "INTEGER")],
     {"singer": ["Amy Stone", "Leo Gray"], "year": [1980, 1999, 2020]}, "title", None),
    ("trees", [("id", "INTEGER PRIMARY KEY"), ("species", "TEXT NOT NULL"), ("street", "TEXT NOT NULL"),
               ("height_m", "REAL"), ("planted_on", "TEXT  -- 'YYYY-MM-DD'")],
     {"species": ["oak", "maple", "birch"], "height_m": [5, 10, 20]}, "species", "planted_on"),
]
OWNERS = ("owners", [("id", "INTEGER PRIMARY KEY"), ("name", "TEXT NOT NULL"), ("city", "TEXT")])


def create_table(table, cols):
    lines = []
    for i, (c, t) in enumerate(cols):
        comma = "," if i < len(cols) - 1 else ""
        if "--" in t:
            t, comment = t.split("--", 1)
            lines.append("  %s %s%s  --%s" % (c, t.rstrip(), comma, comment))
        else:
            lines.append("  %s %s%s" % (c, t, comma))
    return "CREATE TABLE %s (\n%s\n);" % (table, "\n".join(lines))


def sql_chat(g):
    table, typed, vals, main, date_col = g.pick(SQL_TABLES)
    cols = [c for c, _ in typed]
    filt = g.pick(list(vals.keys()))
    v = g.pick(vals[filt])
    lit = ("'%s'" % v) if isinstance(v, str) else str(v)
    numeric = [c for c, t in typed[1:] if t.startswith(("INTEGER", "REAL")) and not c.endswith("_id")]
    ncol = g.pick(numeric) if numeric else "id"
    schema = [create_table(table, typed)]
    t = g.r.randrange(10)
    if t == 0:
        q_want, sql, expl = "all the rows", "SELECT * FROM %s;" % table, "The star means every column."
    elif t == 1:
        q_want = "the %s of every row where %s is %s" % (main, filt, v)
        sql = "SELECT %s FROM %s WHERE %s = %s;" % (main, table, filt, lit)
        expl = "WHERE keeps only the rows that match."
    elif t == 2:
        q_want = "how many rows there are"
        sql = "SELECT COUNT(*) FROM %s;" % table
        expl = "COUNT(*) counts the rows."
    elif t == 3:
        q_want = "the rows sorted by %s" % ncol
        desc = g.chance(0.5)
        sql = "SELECT * FROM %s ORDER BY %s%s;" % (table, ncol, " DESC" if desc else "")
        expl = "ORDER BY sorts the result%s." % (", and DESC puts the biggest first" if desc else " from small to big. Add DESC to sort from big to small")
    elif t == 4:
        q_want = "the average %s" % ncol
        sql = "SELECT AVG(%s) FROM %s;" % (ncol, table)
        expl = "AVG works out the average of a column."
    elif t == 5:
        n = g.pick([1, 2, 5, 10, 100, 2000])
        q_want = "the rows where %s is more than %s" % (ncol, n)
        sql = "SELECT * FROM %s WHERE %s > %s;" % (table, ncol, n)
        expl = "The > sign means greater than."
    elif t == 6:
        k = g.pick([3, 5, 10])
        q_want = "the %d rows with the highest %s" % (k, ncol)
        sql = "SELECT %s, %s FROM %s ORDER BY %s DESC LIMIT %d;" % (main, ncol, table, ncol, k)
        expl = "DESC sorts from high to low, and LIMIT keeps only the first %d rows." % k
    elif t == 7:
        q_want = "how many rows there are for each %s" % filt
        sql = "SELECT %s, COUNT(*) FROM %s GROUP BY %s;" % (filt, table, filt)
        expl = "GROUP BY puts rows with the same %s together, and COUNT(*) counts each group." % filt
    elif t == 8 and date_col:
        y = g.randint(2015, 2025)
        q_want = "the rows from %d" % y
        sql = "SELECT * FROM %s WHERE strftime('%%Y', %s) = '%d';" % (table, date_col, y)
        expl = "strftime('%Y', ...) takes the year out of a date stored as text."
    elif t == 9 and table == "pets":
        schema.insert(0, create_table(*OWNERS))
        q_want = "each pet's name with its owner's name"
        sql = "SELECT pets.name, owners.name\nFROM pets\nJOIN owners ON owners.id = pets.owner_id;"
        expl = "JOIN matches each pet with the owner whose id is in owner_id."
    else:
        q_want = "the %s and %s of every row" % (main, ncol)
        sql = "SELECT %s, %s FROM %s;" % (main, ncol, table)
        expl = "List the columns you want after SELECT."
    if g.chance(0.4):
        q = g.pick(["Here is my table:\n\n%s\n\nHow do I get %s?", "I have this table:\n%s\nWrite a query that gives %s.",
                    "%s\n\nWith this table, how can I get %s?"]) % ("\n".join(schema), q_want)
    else:
        colstr = join_list(cols)
        q = g.pick(["I have a table called %s with the columns %s. How do I get %s?" % (table, colstr, q_want),
                    "Write a SQL query to get %s from a table named %s. It has the columns %s." % (q_want, table, colstr),
                    "How do I write SQL that shows %s in my %s table?" % (q_want, table)])
        if "owners" in sql:
            q = "I have a table pets (id, name, kind, age, owner_id) and a table owners (id, name, city). How do I get %s?" % q_want
    a = g.pick(["You can use this query:", "Here is a query that does that:", "Try this:", "This query should work:"]) + "\n\n" + sql + "\n\n" + expl
    return [("user", q), ("assistant", a)]


# The second stage's domain chats: the kinds of request the sample datasets
# teach, at full size (long system prompts describing a product or a
# database), still in a plain voice.
def food_writing_chat(g):
    turns = corpus_food.writing_chat(g)
    if g.chance(0.5):
        turns = [("system", g.pick(corpus_food.SYSTEM_PROMPTS_FOOD))] + turns
    return turns


# The domain chats' kinds, by the name --domain-mix gives them: (writer, weight).
DOMAIN_KINDS = {
    "food": (food_writing_chat, 35), "cooking": (corpus_food.cooking_chat, 15),
    "support": (corpus_support.support_chat, 25), "sql": (corpus_sql.sql_chat, 25),
}


def format_domain_mix(kinds):
    return ",".join("%s=%d" % (name, w) for name, (_, w) in kinds.items())


def parse_domain_mix(text):
    """DOMAIN_KINDS with the weights of "food=45,cooking=25,support=15,sql=15"."""
    kinds = dict(DOMAIN_KINDS)
    for part in text.split(","):
        name, _, value = (x.strip() for x in part.partition("="))
        if name not in kinds or not value.isdigit():
            raise SystemExit("--domain-mix: expected NAME=WEIGHT pairs with NAME one of %s, not %r"
                             % (", ".join(kinds), part))
        kinds[name] = (kinds[name][0], int(value))
    if not any(w for _, w in kinds.values()):
        raise SystemExit("--domain-mix: at least one weight must be above 0")
    return kinds


def make_domain_chat(g, kinds=DOMAIN_KINDS):
    fn = pick_weighted(g, list(kinds.values()))
    return [{"role": role, "content": content} for role, content in fn(g)]


CHAT_KINDS = [
    (greeting_chat, 5), (arith_chat, 14), (definition_chat, 14), (fact_chat, 22), (howto_chat, 10),
    (recommend_chat, 10), (story_request_chat, 8), (about_story_chat, 3), (writing_chat, 5),
    (support_chat, 4), (sql_chat, 5),
]


def pick_chat_kind(g):
    return pick_weighted(g, CHAT_KINDS)


def make_chat(g):
    turns = []
    if g.chance(0.15):
        turns += greeting_chat(g)
    fn = pick_chat_kind(g)
    turns += fn(g)
    if g.chance(0.2) and fn not in (greeting_chat,):
        # A second question.
        fn2 = pick_chat_kind(g)
        if fn2 is not greeting_chat:
            turns += fn2(g)
    if g.chance(0.12):
        turns += thanks_turns(g)
    messages = []
    r = g.r.random()
    if r < 0.5:
        messages.append({"role": "system", "content": g.pick(SYSTEM_PROMPTS)})
    for role, content in turns:
        messages.append({"role": role, "content": content})
    return messages


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description="Write the demo model's pretraining corpus.")
    ap.add_argument("--out", default="_build/demo", help="output folder (default: _build/demo)")
    ap.add_argument("--seed", type=int, default=8, help="random seed (default: 8)")
    ap.add_argument("--size-mb", type=float, default=10.0, help="size of train.jsonl in MB (default: 10)")
    ap.add_argument("--story-share", type=float, default=0.5, help="fraction of examples that are stories (default: 0.5)")
    ap.add_argument("--val-every", type=int, default=50, help="every Nth example goes to val.jsonl (default: 50, 2%%)")
    ap.add_argument("--domain-share", type=float, default=0.0,
                    help="fraction of examples that are domain chats (default: 0; the second stage uses 0.7)")
    ap.add_argument("--domain-mix", default=None,
                    help="weights of the domain chats' kinds, e.g. food=45,cooking=25,support=15,sql=15 "
                         "(default: %s)" % format_domain_mix(DOMAIN_KINDS))
    args = ap.parse_args()
    domain_kinds = parse_domain_mix(args.domain_mix) if args.domain_mix else DOMAIN_KINDS

    g = Gen(args.seed)
    os.makedirs(args.out, exist_ok=True)
    limit = int(args.size_mb * 1e6)
    counts = {k: {"stories": 0, "chats": 0, "domain": 0, "bytes": 0} for k in ("train", "val")}
    sentences = {"train": {}, "val": {}}
    n_sent = {"train": 0, "val": 0}
    paths = {k: os.path.join(args.out, k + ".jsonl") for k in ("train", "val")}
    tmp = {k: paths[k] + ".tmp" for k in paths}
    files = {k: open(tmp[k], "w", encoding="utf-8", newline="\n") for k in tmp}
    i = 0
    while counts["train"]["bytes"] < limit:
        split = "val" if i % args.val_every == args.val_every - 1 else "train"
        i += 1
        # Tested first, and only when asked for, so that the first stage's
        # corpus stays byte-identical.
        if args.domain_share > 0 and g.chance(args.domain_share):
            msgs = make_domain_chat(g, domain_kinds)
            obj = {"messages": msgs}
            kind = "domain"
            pieces = [m["content"] for m in msgs]
        elif g.chance(args.story_share):
            text = make_story(g)
            obj = {"text": text}
            kind = "stories"
            pieces = [text]
        else:
            msgs = make_chat(g)
            obj = {"messages": msgs}
            kind = "chats"
            pieces = [m["content"] for m in msgs]
        line = json.dumps(obj, ensure_ascii=False) + "\n"
        files[split].write(line)
        counts[split][kind] += 1
        counts[split]["bytes"] += len(line.encode("utf-8"))
        seen = sentences[split]
        for p in pieces:
            for s in split_sentences(p):
                seen[s] = seen.get(s, 0) + 1
                n_sent[split] += 1
    for k in files:
        files[k].close()
        os.replace(tmp[k], paths[k])

    train_sents = sentences["train"]
    val_only = sum(1 for s in sentences["val"] if s not in train_sents)
    for k in ("train", "val"):
        c = counts[k]
        print("%s.jsonl: %.2f MB, %d examples (%d stories, %d chats, %d domain chats), %d sentences, %d distinct"
              % (k, c["bytes"] / 1e6, c["stories"] + c["chats"] + c["domain"], c["stories"], c["chats"],
                 c["domain"], n_sent[k], len(sentences[k])))
    print("val sentences not in train: %d of %d distinct" % (val_only, len(sentences["val"])))
    top = sorted(train_sents.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    print("most repeated train sentences: " + "; ".join("%r x%d" % kv for kv in top))


if __name__ == "__main__":
    sys.exit(main())
