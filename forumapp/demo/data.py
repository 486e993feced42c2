"""The demo forum, built from the two articles in shared/seeds/.

From the articles: the republican forum of light industry in Almaty (2016), held by the
Association of light industry enterprises on the eve of the sector's professional holiday; the
statistics quoted in the plenary; school-uniform procurement; industrial cooperation with NCE
"Atameken" (Daulet Bakbergen); the award ceremony for industry leaders; the collection show
(Kazlegprom, MIMIORIKI, Semiramide, Aigul & Line, ZIBROO); the sponsors. The round table with
the Zhasampaz consortium (Gulmira Uakhitova) comes from the second article (2017) and is placed
here for the demo. Dates, times, halls, moderators and hosts are invented.
"""

EVENT = {
    "slug": "light-industry-forum-2016",
    "code": "LIF-2016",
    "title": {
        "kk": "Жеңіл өнеркәсіптің республикалық форумы",
        "ru": "Республиканский форум лёгкой промышленности",
        "en": "Republican Forum of Light Industry",
    },
    "description": {
        "kk": (
            "Жеңіл өнеркәсіп қызметкерлерінің кәсіби мерекесі қарсаңында Жеңіл өнеркәсіп кәсіпорындары "
            "қауымдастығы әріптестері мен серіктестерін саланың өзекті мәселелерін талқылауға, "
            "тәжірибе алмасуға және саланың беделін арттыруға шақырды.\n"
            "Демо туралы: форум, сандар, спикерлер, марапаттау, коллекциялар көрсетілімі және демеушілер "
            "жаңалық мақалаларынан алынған; күні, уақыты, залдар және модераторлар ойдан құрастырылған."
        ),
        "ru": (
            "Накануне профессионального праздника работников лёгкой промышленности члены Ассоциации "
            "предприятий лёгкой промышленности пригласили коллег и партнёров обсудить актуальные "
            "проблемы отрасли, обеспечить диалог между предприятиями, обменяться опытом и повысить "
            "престиж отрасли.\n"
            "О демо: форум, цифры, спикеры, награждение, показ коллекций и спонсоры взяты из новостных "
            "статей; даты, время, залы, модераторы и ведущие придуманы для демонстрации."
        ),
        "en": (
            "On the eve of the professional holiday of light-industry workers, the members of the "
            "Association of light industry enterprises invited their colleagues and partners to discuss "
            "topical problems of the industry, to ensure dialogue between enterprises, exchange "
            "experience and enhance the prestige of the industry.\n"
            "About this demo: the forum, figures, speakers, award ceremony, collection show and sponsors "
            "come from news articles; dates, times, halls, moderators and hosts are invented."
        ),
    },
    "venue": {"kk": "Алматы технологиялық университеті", "ru": "Алматинский технологический университет",
              "en": "Almaty Technological University"},
    "city": {"kk": "Алматы", "ru": "Алматы", "en": "Almaty"},
    "organisers_text": {
        "kk": "Жеңіл өнеркәсіп кәсіпорындары қауымдастығы",
        "ru": "Ассоциация предприятий лёгкой промышленности",
        "en": "Association of light industry enterprises",
    },
}

HALLS = [
    ("main", {"kk": "Үлкен зал", "ru": "Большой зал", "en": "Main hall"}, 400),
    ("conference", {"kk": "Конференц-зал", "ru": "Конференц-зал", "en": "Conference hall"}, 80),
    ("catwalk", {"kk": "Подиум залы", "ru": "Подиумный зал", "en": "Catwalk hall"}, 250),
    ("foyer", {"kk": "Фойе", "ru": "Фойе", "en": "Foyer"}, None),
]

TRACKS = [
    ("industry", {"kk": "Сала және нарық", "ru": "Отрасль и рынок", "en": "Industry and market"}, "#8a3b12"),
    ("fashion", {"kk": "Сән және коллекциялар", "ru": "Мода и коллекции", "en": "Fashion and collections"}, "#6b2d5c"),
]

# key: (English name, names, kind, city, parent key)
ORGANISATIONS = [
    ("association", {"kk": "Жеңіл өнеркәсіп кәсіпорындары қауымдастығы", "ru": "Ассоциация предприятий лёгкой промышленности",
                     "en": "Association of light industry enterprises"}, "association", "Алматы", None),
    ("atameken", {"kk": "ҚР «Атамекен» ұлттық кәсіпкерлер палатасы", "ru": "НПП РК «Атамекен»",
                  "en": "NCE RK \"Atameken\""}, "association", "Астана", None),
    ("zhasampaz", {"kk": "«Жасампаз» консорциумы", "ru": "Консорциум «Жасампаз»", "en": "Zhasampaz consortium"},
     "consortium", "Алматы", "association"),
    ("kazlegprom", {"kk": "«Казлегпром»", "ru": "«Казлегпром»", "en": "Kazlegprom"}, "fashion_house", "Алматы", "zhasampaz"),
    ("mimioriki", {"kk": "MIMIORIKI", "ru": "MIMIORIKI", "en": "MIMIORIKI"}, "fashion_house", "Алматы", None),
    ("semiramide", {"kk": "«Semiramide»", "ru": "«Semiramide»", "en": "Semiramide"}, "fashion_house", "Алматы", None),
    ("aigul-line", {"kk": "«Aigul & Line»", "ru": "«Aigul & Line»", "en": "Aigul & Line"}, "fashion_house", "Алматы", None),
    ("zibroo", {"kk": "ZIBROO", "ru": "ZIBROO", "en": "ZIBROO"}, "fashion_house", "Алматы", None),
    ("akimat", {"kk": "Алматы қаласының әкімдігі", "ru": "Акимат города Алматы", "en": "Akimat of Almaty"},
     "government_body", "Алматы", None),
    ("ministry", {"kk": "ҚР Инвестициялар және даму министрлігі", "ru": "Министерство по инвестициям и развитию РК",
                  "en": "Ministry of Investment and Development of the Republic of Kazakhstan"},
     "government_body", "Астана", None),
    ("committee", {"kk": "ҚР Статистика комитеті", "ru": "Комитет по статистике РК", "en": "Committee on Statistics"},
     "government_body", "Астана", "ministry"),
    ("kaznex", {"kk": "«KAZNEX INVEST» АҚ", "ru": "АО «KAZNEX INVEST»", "en": "JSC \"KAZNEX INVEST\""},
     "government_body", "Астана", "ministry"),
    ("damu", {"kk": "«Даму» қоры", "ru": "Фонд «Даму»", "en": "Fund \"Damu\""}, "fund", "Алматы", None),
    ("atu", {"kk": "Алматы технологиялық университеті", "ru": "Алматинский технологический университет",
             "en": "Almaty Technological University"}, "university", "Алматы", None),
]

# key: (names, position, organisation key, invented?)
PEOPLE = [
    ("bakbergen", {"kk": "Даулет Бакберген", "ru": "Даулет Бакберген", "en": "Daulet Bakbergen"},
     {"kk": "«Атамекен» ҰКП өңдеу өнеркәсібі департаментінің директоры",
      "ru": "Директор департамента обрабатывающей промышленности НПП «Атамекен»",
      "en": "Director of the Department of manufacturing industry, NCE \"Atameken\""}, "atameken", False),
    ("uakhitova", {"kk": "Гүлмира Уақытова", "ru": "Гульмира Уахитова", "en": "Gulmira Uakhitova"},
     {"kk": "«Жасампаз» консорциумы атқарушы комитетінің төрайымы",
      "ru": "Председатель исполнительного комитета консорциума «Жасампаз»",
      "en": "Chairman of the executive committee, Zhasampaz consortium"}, "zhasampaz", False),
    ("moderator", {"kk": "Әсел Нұрланқызы", "ru": "Асель Нурланкызы", "en": "Assel Nurlankyzy"},
     {"kk": "Модератор (демо үшін ойдан алынған)", "ru": "Модератор (придумана для демо)", "en": "Moderator (invented for the demo)"},
     "association", True),
    ("host", {"kk": "Ержан Сәрсенбаев", "ru": "Ержан Сарсенбаев", "en": "Yerzhan Sarsenbayev"},
     {"kk": "Салтанат жүргізушісі (ойдан алынған)", "ru": "Ведущий церемонии (придуман)", "en": "Ceremony host (invented)"},
     "association", True),
]

# key, kind, track, hall, start, end, title, description, people [(person key, role)], extra fields
ITEMS = [
    ("registration", "networking", None, "foyer", "09:00", "10:00",
     {"kk": "Қатысушыларды тіркеу және сәлемдесу кофесі", "ru": "Регистрация участников и приветственный кофе",
      "en": "Registration and welcome coffee"}, {}, [], {}),
    ("opening", "opening", "industry", "main", "10:00", "10:20",
     {"kk": "Форумның ашылуы", "ru": "Открытие форума", "en": "Opening of the forum"},
     {"kk": "Жеңіл өнеркәсіп қызметкерлерінің кәсіби мерекесіне арналған форумның салтанатты ашылуы.",
      "ru": "Торжественное открытие форума, посвящённого профессиональному празднику работников отрасли.",
      "en": "Ceremonial opening of the forum dedicated to the professional holiday of the sector's workers."},
     [("host", "host")], {}),
    ("plenary", "plenary", "industry", "main", "10:20", "11:40",
     {"kk": "Пленарлық отырыс: саланың жүйелі мәселелері", "ru": "Пленарное заседание: системные проблемы отрасли",
      "en": "Plenary: the systemic problems of the sector"},
     {"kk": "Елде 886 жеңіл өнеркәсіп кәсіпорны бар, оның 95%-ы – шағын бизнес. Өткен жылғы өндіріс көлемі – 71 млрд теңге, "
            "2016 жылдың 4 айында – 20,7 млрд теңге. Кәсіпорындардың жүктемесі орта есеппен 50–60%. Мәселелер: импорттық "
            "шикізаттың қымбаттығы (маталар мен фурнитураның 95%-ы импортталады), білікті кадрлардың тапшылығы (жылына "
            "шамамен 2 000 маман), шикізаттың заңсыз экспорты. Шешімдердің бірі – «кластерлік бастамалар».",
      "ru": "В стране 886 предприятий лёгкой промышленности, 95% из них — малый бизнес. Объём производства за прошлый год — "
            "71 млрд тенге, за 4 месяца 2016 года — 20,7 млрд тенге. Загрузка предприятий в среднем 50–60%. Проблемы: "
            "дорогое импортное сырьё (95% тканей и фурнитуры — импорт), нехватка кадров (около 2 000 специалистов в год), "
            "незаконный вывоз сырья. Одно из решений — «кластерные инициативы» полного цикла.",
      "en": "The country has 886 light-industry enterprises, 95% of them small businesses. Output was 71 billion tenge last "
            "year and 20.7 billion tenge in the first four months of 2016; plants run at 50–60% of capacity. Problems: costly "
            "imported raw materials (95% of fabrics and accessories are imported), a shortage of qualified staff (about "
            "2,000 a year), illegal export of raw materials. One answer: cluster initiatives covering the full value chain."},
     [("moderator", "moderator"), ("bakbergen", "speaker"), ("uakhitova", "speaker")], {}),
    ("coffee", "break", None, "foyer", "11:40", "12:00",
     {"kk": "Кофе-брейк", "ru": "Кофе-брейк", "en": "Coffee break"}, {}, [], {}),
    ("uniforms", "session", "industry", "main", "12:00", "13:00",
     {"kk": "Мектеп формасын сатып алу: отандық өндірушілердің үлесі",
      "ru": "Закупки школьной формы: доля отечественных производителей",
      "en": "School-uniform procurement: the share of domestic producers"},
     {"kk": "Мектеп формасы нарығының сыйымдылығы 37 млрд теңгеден асады, ал отандық өндірушілердің үлесі 7%-дан аспайды. "
            "2016 жылдың соңына дейін үлесті кемінде 50%-ға жеткізу талқылануда.",
      "ru": "Ёмкость рынка школьной формы — более 37 млрд тенге, доля отечественных производителей — не более 7%. "
            "Обсуждается увеличение доли до 50% к концу 2016 года.",
      "en": "The school-uniform market exceeds 37 billion tenge, yet domestic producers hold no more than 7%. "
            "Raising their share to at least 50% by the end of 2016 is under discussion."},
     [("moderator", "moderator")], {}),
    ("lunch", "break", None, "foyer", "13:00", "14:00",
     {"kk": "Түскі ас", "ru": "Обед", "en": "Lunch"}, {}, [], {}),
    ("cooperation", "session", "industry", "main", "14:00", "15:00",
     {"kk": "Өнеркәсіптік кооперация: «Атамекен» ҰКП-мен жұмыс",
      "ru": "Промышленная кооперация: работа с НПП «Атамекен»",
      "en": "Industrial cooperation with NCE \"Atameken\""},
     {"kk": "Өңдеу өнеркәсібінің үлесі – 12%, жылдық өнім – 1 трлн теңгеден астам, 200 мыңнан астам қызметкер. "
            "Арнайы киім, аяқ киім жеткізу бойынша кооперация.",
      "ru": "Доля обрабатывающих отраслей — 12% промышленного производства, годовой выпуск — более 1 трлн тенге, "
            "более 200 тысяч работников. Кооперация в поставках спецодежды и обуви.",
      "en": "Manufacturing industries make 12% of industrial output, over 1 trillion tenge a year with more than "
            "200,000 employees: cooperation in supplying special clothing and footwear."},
     [("bakbergen", "speaker"), ("moderator", "moderator")], {}),
    ("round-table", "round_table", "industry", "conference", "15:00", "16:30",
     {"kk": "«Жасампаз» консорциумымен дөңгелек үстел: экспорт және қорғаныс тапсырысы",
      "ru": "Круглый стол с консорциумом «Жасампаз»: экспорт и оборонный заказ",
      "en": "Round table with the Zhasampaz consortium: exports and the defence order"},
     {"kk": "Консорциумға 44 кәсіпорын кіреді; Өзбекстан мен Беларусьқа мата жеткізу жоспарлары. (2017 жылғы мақаладан.)",
      "ru": "В консорциум входят 44 предприятия; планы поставок тканей в Узбекистан и Беларусь. (Из статьи 2017 года.)",
      "en": "The consortium unites 44 enterprises and plans to supply fabrics to Uzbekistan and Belarus. (From the 2017 article.)"},
     [("uakhitova", "moderator"), ("bakbergen", "panelist")], {"capacity": 60, "takes_signups": True}),
    ("awards", "award_ceremony", "industry", "main", "16:30", "17:15",
     {"kk": "Сала көшбасшыларын марапаттау салтанаты", "ru": "Церемония награждения лидеров отрасли",
      "en": "Award ceremony for the industry's leaders"}, {},
     [("host", "host")], {}),
    ("show", "collection_show", "fashion", "catwalk", "17:30", "18:30",
     {"kk": "Қазақстандық өндірушілер коллекцияларының көрсетілімі", "ru": "Показ коллекций казахстанских производителей",
      "en": "Collection show of Kazakhstani producers"},
     {"kk": "Ерлер, әйелдер, балалар киімі, сырт киім және спорттық киім: «Казлегпром», MIMIORIKI, «Semiramide», «Aigul & Line», ZIBROO.",
      "ru": "Мужская, женская, детская, верхняя и спортивная одежда: «Казлегпром», MIMIORIKI, «Semiramide», «Aigul & Line», ZIBROO.",
      "en": "Men's, women's, children's wear, outerwear and sportswear: Kazlegprom, MIMIORIKI, Semiramide, Aigul & Line, ZIBROO."},
     [("host", "host")], {"capacity": 200, "takes_signups": True}),
    ("reception", "networking", None, "foyer", "18:30", "19:30",
     {"kk": "Кешкі қабылдау", "ru": "Вечерний приём", "en": "Evening reception"}, {}, [], {}),
]
