"""Swedish and English introductions of the seed's themes and subthemes (the Zoomi 2020 report
gives them in Finnish only). The bank's own translations, using the terms of catalog/names.py.

The data lives here, so this migration does the same on every upgrade; the importer reads it from
this module (``seed_intros``) for a catalog imported after the migrations ran. Only empty
introductions are filled, so a coordinator's text in the admin is never overwritten.
"""

from django.db import migrations

# Theme code -> (Swedish, English)
THEMES = {
    "A": (
        "I de projekt som Zoomi-projektet koordinerar har det hittills uppstått 34 praxis eller modeller som stöder "
        "övergången till utbildning. I de här projektresultaten har man framför allt funderat på hur till exempel "
        "handledningstjänster för att söka till utbildning, personlig anpassning i ansökningsskedet och samarbetet "
        "mellan olika aktörer (läroanstalter, kommunen, Navigatorerna) i ansökningsskedet kan göra övergången till "
        "utbildning smidigare. Under Zoomis fortsättningsprojekt har 5 nya beskrivningar tillkommit under temat.\n\n"
        "Övergången till utbildning blir viktigare när läroplikten utvidgas, och de projektresultat om kontinuerlig "
        "ansökan som skapats i de koordinerade projekten stöder delvis detta. Olika öppna läroanstalters miljöer och "
        "arbetssätt svarar för sin del på samma fråga. Projektresultaten om kontinuerlig ansökan presenteras närmare "
        "under tema C, ”Tidigt ingripande, stöd vid studieavbrott och kontinuerlig ansökan”.",
        "The projects coordinated by the Zoomi project have so far produced 34 practices or models that support the "
        "transition into education. These results focus on how, for example, guidance services for applying to "
        "education, personalisation at the application stage and cooperation between different parties (educational "
        "institutions, the municipality, Ohjaamo one-stop guidance centres) at the application stage could make the "
        "transition into education smoother. During Zoomi's follow-up project, 5 new items were added under this "
        "theme.\n\n"
        "The transition into education will matter even more as compulsory education is extended, and the results on "
        "continuous application created in the coordinated projects partly support this. The settings and ways of "
        "working of various open institutions also answer this question. The results on continuous application are "
        "presented in more detail under theme C, “Early intervention, support for students at risk of dropping out, "
        "and continuous application”.",
    ),
    "B": (
        "I de projekt som Zoomi koordinerar har 68 modeller eller praxis skapats för att stödja personlig anpassning "
        "och handledning under studierna. Man har tagit fram olika verktyg som stöder handledningen och nya arbets- "
        "och verksamhetssätt som utvecklar den, funderat på ett handledande lärarskap och skrivit anvisningar som "
        "stöder personlig anpassning, identifiering av kunnande och arbetet med den personliga planen för utveckling "
        "av kunnandet (PUK). För att utveckla handledningen har man också skapat nya slags lärmiljöer och bland annat "
        "funderat på hur arbetslivsorienterade lärmiljöer kan förverkligas. Under Zoomis fortsättningsprojekt har 11 "
        "nya beskrivningar tillkommit under temat.",
        "The projects coordinated by Zoomi have created 68 models or practices to support personalisation and "
        "guidance during studies. They include tools that support guidance, new ways of working that develop it, "
        "thinking on guidance-oriented teaching, and instructions that support personalisation, the identification "
        "of competence and the personal competence development plan (HOKS). To develop guidance, the projects have "
        "also created new kinds of learning environments and considered, among other things, how to build learning "
        "environments oriented to working life. During Zoomi's follow-up project, 11 new items were added under this "
        "theme.",
    ),
    "C": (
        "För tidigt ingripande, stöd vid studieavbrott och kontinuerlig ansökan har de koordinerade projekten "
        "utvecklat sammanlagt 45 goda praxis eller modeller. De inriktar sig på att identifiera och handleda "
        "studerande som riskerar att avbryta studierna och på att stärka de studerandes studiefärdigheter och "
        "delaktighet. Projekten har också utvecklat arbetsbetonade och alternativa lärmiljöer och stött interna "
        "övergångar och kontinuerlig ansökan till läroanstalterna. Med de senare har man försökt förebygga "
        "studieavbrott genom att hjälpa studerande att hitta en ny bransch och plats i utbildningen. Tyngdpunkten har "
        "alltså legat på att utveckla handledning som förebygger studieavbrott och nya handledningsmiljöer. Under "
        "Zoomis fortsättningsprojekt har 13 nya projektresultat tillkommit under temat.",
        "For early intervention, support for students at risk of dropping out and continuous application, the "
        "coordinated projects have developed 45 good practices or models in all. They focus on identifying and "
        "guiding students at risk of dropping out and on strengthening students' study skills and participation. "
        "The projects have also developed work-based and alternative learning environments and supported internal "
        "transitions and continuous application to institutions. The latter aim to prevent dropping out by helping "
        "students find a new field and a new place in education. The focus has thus been on developing guidance that "
        "prevents dropping out and new guidance environments. During Zoomi's follow-up project, 13 new project "
        "results were added under this theme.",
    ),
    "D": (
        "De projekt som Zoomi koordinerar har gett mycket omfattande resultat om övergången till fortsatta studier. "
        "Projekten har också tagit fram material som stöder övergången till arbetslivet och karriärhandledningen. "
        "Sammanlagt har 55 modeller och praxis inom temat dokumenterats i Metodbanken. De gäller beskrivningar av "
        "stigstudier från yrkesutbildningen till yrkeshögskolan och bredare samarbete mellan läroanstalter på olika "
        "stadier, till exempel i form av gemensamma eller förberedande studier. Som stöd för övergången till "
        "arbetslivet har man tagit fram material om bland annat karriärhandledning, att stärka färdigheterna att söka "
        "arbete och, mer allmänt, stöd för sysselsättning till exempel genom samarbete med arbetsgivare. Under Zoomis "
        "fortsättningsprojekt har sammanlagt 15 nya beskrivningar tillkommit under temat.",
        "The projects coordinated by Zoomi have produced very comprehensive results on the transition to further "
        "studies. They have also created material that supports the transition to working life and career guidance. "
        "In all, 55 models and practices on this theme have been documented in the method bank. They describe "
        "pathway studies from vocational education and training to universities of applied sciences and wider "
        "cooperation between institutions at different levels, for example as joint or preparatory studies. To "
        "support the transition to working life, material has been produced on, for example, career guidance, "
        "strengthening job-seeking skills and, more broadly, supporting employment through cooperation with "
        "employers, for instance. During Zoomi's follow-up project, 15 new items in all were added under this theme.",
    ),
}

# (theme code, Finnish subtheme name) -> (Swedish, English)
SUBTHEMES = {
    ("A", "Hakeutumisen ohjauspalvelut"): (
        "Under det föregående Zoomi-koordineringsprojektet togs många praxis fram för skedet då man söker från "
        "grundskolan till andra stadiet. De omfattade såväl bredare ansöknings- och utbildningsrådgivning (t.ex. "
        "utbildningsrådgivningen i Lappland) och beskrivningar av handledningsprocesser (t.ex. SISU-projektet och "
        "beskrivningen av ansökningsprocessen till Valma-utbildningen) som praxis för mer personliga möten och "
        "handledning (studiehandledare i övergångsskedet, användning av uppsökande ungdomsarbete osv.).\n\n"
        "Inga modeller har ännu beskrivits här i Metodbanken, men flera av dessa praxis kunde utvidgas till "
        "nationella modeller.",
        "During the previous Zoomi coordination project, many practices were produced for the stage of applying from "
        "basic education to upper secondary education. They ranged from wider application and education counselling "
        "(e.g. education counselling in Lapland) and descriptions of guidance processes (e.g. the SISU project and "
        "the description of the application process for VALMA preparatory education) to practices for more personal "
        "encounters and guidance (guidance counsellors for the transition stage, using outreach youth work, etc.).\n\n"
        "No models have been described here in the method bank yet, but several of these practices could be extended "
        "into national models.",
    ),
    ("A", "Hakeutumisvaiheen henkilökohtaistaminen, koulutustutustumisen ja perehdyttäminen"): (
        "I de koordinerade projekten har man uppenbarligen ansett det viktigt att personligt handleda dem som söker "
        "till yrkesläroanstalter och introducera dem i de branscher och den utbildning de söker till.\n\n"
        "Som stöd för att bekanta sig med utbildningen har projektet SOPU – Sujuvat omat polut tagit fram en modell "
        "som bland annat omfattar anvisningar för introduktionen av den som bekantar sig med utbildningen och "
        "anvisningar för den besökande själv. Med de senare vill man få besökaren att känna sig välkommen och "
        "samtidigt stödja ett rätt val av bransch. Dessutom har projektet Vetovoimala utvecklat en "
        "handledningsmodell för elever och studerande i behov av särskilt stöd när de söker till studier på andra "
        "stadiet. Modellerna finns här:\n\n"
        "Utöver modellen har SOPU-projektet beskrivit goda praxis som visar hur bekantskapen med utbildningen har "
        "genomförts i praktiken under projektet. Utöver SOPU-projektets praxis har projekten för smidiga övergångar "
        "utvecklat kamratgruppsverksamhet (Vetovoimala) för att främja bekantskapen och, under det tidigare "
        "koordineringsprojektet, bland annat utbildningsförsök och orienteringsperioder.",
        "The coordinated projects have clearly found it important to guide applicants to vocational institutions "
        "personally and to introduce them to the fields and education they are applying to.\n\n"
        "To support getting to know study options, the SOPU – Sujuvat omat polut project has produced a model that "
        "includes, among other things, instructions for inducting the visitor and instructions for the visitors "
        "themselves. The latter aim to make visitors feel welcome and to support the right choice of field. In "
        "addition, the Vetovoimala project has developed a guidance model for pupils and students who need special "
        "support when they apply to upper secondary studies. You can find the models here:\n\n"
        "Besides the model, the SOPU project has described good practices that show how getting to know study options "
        "was carried out in practice during the project. In addition to SOPU's practices, the smooth transitions "
        "projects have developed peer group activities (Vetovoimala) to encourage visits and, during the earlier "
        "coordination project, trial study and orientation periods, among other things.",
    ),
    ("A", "Avoimet oppimisympäristöt"): (
        "Att skapa öppna lärmiljöer har diskuterats mycket med tanke på att möjliggöra smidiga övergångar. Tjänsten "
        "Öppna yrkesinriktade studier, som skapades i projektet AAVA – Avoin väylä ammattiin under det föregående "
        "koordineringsprojektet, har vidareutvecklats i de projekt som det nya Zoomi koordinerar. Tjänsten erbjuder "
        "unga och vuxna ett alternativt och flexibelt sätt att skaffa det kunnande de behöver i studier eller "
        "arbetsliv genom att utnyttja olika läroanstalters studier som är öppna för alla. För webbplatsen har man "
        "skapat en servicestig som beskriver hur den kan användas i hela landet och främja yrkeskunnandet. "
        "Beskrivningen av modellen finns här:\n\n"
        "Under det föregående Zoomi skapade projektet Oma reitti också en egen praxis för ett öppet yrkesinstitut, "
        "särskilt för studerande som riskerar att avbryta studierna.",
        "Creating open learning environments has been much discussed as a way to enable smooth transitions. The Open "
        "Vocational Studies service, created in the AAVA – Avoin väylä ammattiin project during the previous "
        "coordination project, has been developed further in the projects the new Zoomi coordinates. The service "
        "offers young people and adults an alternative and flexible way to gain the competence they need in their "
        "studies or working life by using the studies that different institutions open to everyone. A service path "
        "has been created for the website, describing how it can be used nationally and help build up vocational "
        "competence. The description of the model is here:\n\n"
        "During the previous Zoomi, the Oma reitti project also created its own open vocational college practice, "
        "especially for students at risk of dropping out.",
    ),
    ("A", "Hakeutumisvaiheen yhteistyö"): (
        "Projekten inom delen Smidiga övergångar har också försökt främja samarbetet mellan grundskolor och andra "
        "stadiet. Temat överlappar i hög grad de föregående temana, men samarbetet har tydligast främjats till "
        "exempel i dessa praxis. Urapeli är ett bra exempel på hur spelifiering kan underlätta valskedet i "
        "grundskolan.",
        "The projects of the Smooth Transitions strand have also sought to promote cooperation between basic "
        "education schools and upper secondary education. This theme overlaps a great deal with the previous themes, "
        "but the cooperation has been promoted most clearly in these practices, for example. Urapeli (a career game) "
        "is a good example of how gamification can make the choices at the end of basic education easier.",
    ),
    ("A", "Ammatillisen koulutuksen vetovoimaisuus"): (
        "Praxis för att öka dragningskraften hos yrkesutbildningens teknikbranscher har skapats i två regionala "
        "projekt för smidiga övergångar som det föregående Zoomi-projektet koordinerade.",
        "Practices to make the technology fields of vocational education and training more attractive were created "
        "in two regional Smooth Transitions projects coordinated by the previous Zoomi project.",
    ),
    ("B", "Ohjausta tukevat työkalut"): (
        "Under delen Smidiga övergångar har många verktyg skapats för handledningen under studierna på andra "
        "stadiet. Verktygen är snarare exempel på lokala tillämpningar i praktiken, men en del av dem kan säkert "
        "också anpassas för användning i hela landet.\n\n"
        "Under det nuvarande Zoomi-koordineringsprojektet har verktyg tagits fram för att planera handledningen "
        "enligt årstema och för att identifiera behov av särskilt stöd. Praxis från det tidigare "
        "koordineringsprojektet gäller gruppbildning, kamratcoachning, uppföljning av kunnande och bedömning av "
        "funktionsförmåga.",
        "Many tools for guidance during upper secondary studies were created in the Smooth Transitions strand. They "
        "are more examples of local applications in practice, but some of them can surely be adapted for national "
        "use too.\n\n"
        "During the current Zoomi coordination project, tools have been produced for planning guidance by yearly "
        "themes and for identifying a need for special support. The practices from the earlier coordination project "
        "concern group building, peer coaching, following competence and assessing functional capacity.",
    ),
    ("B", "Ohjauspalvelut sekä ohjausta kehittävät uudet toimintatavat"): (
        "Handledningstjänster har utvecklats i de koordinerade projekten särskilt för behovet av individuellt stöd. "
        "Som stöd för handledningen har projektet #Hyvinvoiva amis inom den regionala delen Smidiga övergångar "
        "utvecklat en coachningsmodell. I modellen vill man genom coachning och egen handledning erbjuda de "
        "studerande mångsidig handledning och stöd i undervisningen, stödja deras vardagshantering och ge "
        "information om utbildningen i branschen, om hur kunnande förvärvas och bedöms och till exempel om "
        "studerandevårdens tjänster. En närmare beskrivning av modellen finns nedan.\n\n"
        "Projektet Varustamo har utvecklat en samarbetsmodell mellan ett yrkesinstitut och ett "
        "specialyrkesinstitut, så att yrkesutbildning kan erbjudas mer allmänt för studerande som behöver särskilt "
        "stöd.\n\n"
        "I SOPU-projektets verksamhetsmodell Valmentamo, som utvecklats under det pågående koordineringsprojektet, "
        "utvecklades dessutom liknande verksamhet för att stödja studerande som behöver mer personligt stöd och "
        "bemötande för att slutföra sina studier. För handlednings- och undervisningspersonalen skrevs en guide om "
        "lärprocessen för en studerande i behov av särskilt stöd under studier i arbetslivet.\n\n"
        "Under det föregående koordineringsprojektet utvecklades bland annat uppsökande studiehandledning, stöd för "
        "nya studerande, studiecirklar och stödverkstäder samt mångkulturella möten.",
        "In the coordinated projects, guidance services have been developed especially for the need for individual "
        "support. To support guidance, the #Hyvinvoiva amis project of the regional Smooth Transitions strand has "
        "developed a coaching model. Through coaching and personal tutoring, the model aims to offer students "
        "versatile guidance and support in teaching, to support their management of everyday life, and to provide "
        "information on education in the field, on acquiring and assessing competence and, for example, on student "
        "welfare services. A more detailed description of the model is below.\n\n"
        "The Varustamo project has developed a cooperation model between a vocational college and a special "
        "vocational college, so that vocational studies can be offered more widely to students who need special "
        "support.\n\n"
        "In addition, the Valmentamo operating model of the SOPU project, developed during the current coordination "
        "project, developed similar activities to support students who need more personal support and contact to "
        "complete their studies. A guide was written for guidance and teaching staff on the learning process of a "
        "student who needs special support while studying at the workplace.\n\n"
        "During the previous coordination project, outreach study guidance, support for new students, study circles "
        "and support workshops, and multicultural encounters were developed, among other things.",
    ),
    ("B", "Ohjaavan opettajuuden kehittyminen"): (
        "Ett viktigt utvecklingsområde i de koordinerade projekten efter reformen av yrkesutbildningen var att "
        "utveckla ett handledande lärarskap, och flera goda praxis skapades som stöd för det. Än en gång är dessa "
        "praxis lokala genomföranden och exempel, men flera av dem kunde uppdateras till nationella modeller och med "
        "små anpassningar också tillämpas i andra miljöer.\n\n"
        "Projekten skapade bland annat ett kompetensmärke och ett spel för handledande lärarskap, kompetenspass och "
        "mer ambitiösa arbetssätt och nya studiemiljöer som stöder ett handledande lärarskap. Lärarskapets "
        "utveckling stöddes också genom praxis som stöder kulturellt sensitiva arbetssätt.",
        "Developing guidance-oriented teaching was one important focus of the coordinated projects after the reform "
        "of vocational education and training, and several good practices were created to support it. Once again, "
        "these practices are local implementations and examples, but several of them could be updated into national "
        "models and, with a little adaptation, used in other settings as well.\n\n"
        "Among other things, the projects created a digital badge and a game for guidance-oriented teaching, "
        "competence passports, and more ambitious ways of working and new study environments that support "
        "guidance-oriented teaching. Teachers' development was also supported with practices that support culturally "
        "sensitive ways of working.",
    ),
    ("B", "HOKS ja henkilökohtaistaminen"): (
        "Arbetet med PUK och personlig anpassning har under finansieringsperioden blivit ett viktigt område för "
        "förnyelse. Praxis som stöder planeringen av individuella studier finns också under de föregående temana, "
        "men den egentliga modellen har skapats i SOPU-projektet. Checklistan är tänkt som en påminnelse om "
        "PUK-processen, om hur planen utarbetas och uppdateras. Du kan bekanta dig med modellen här:\n\n"
        "Utöver modellen beskriver praxis närmare hur PUK-processen genomförs på lokal nivå. De responsenkäter som "
        "skapats i SOPU-projektet kan bland annat hjälpa till med det. Också exemplet på en visuell individuell "
        "studieplan och den studerandes kartläggningsblankett från det tidigare koordineringsprojektet kan vara till "
        "hjälp i PUK-processen.",
        "Work on personal competence development plans (HOKS) and personalisation has become one of the major areas "
        "of reform during the funding period. Practices that support planning personal studies can also be found "
        "under the previous themes, but the actual model was created in the SOPU project. The checklist is meant as a "
        "reminder of the HOKS process, of drawing up the plan and updating it. You can look at the model here:\n\n"
        "Besides the model, practices describe in more detail how the HOKS process is carried out locally. The "
        "feedback surveys created in the SOPU project, among others, can help with this. The example of a visual "
        "personal study plan and the student's initial assessment form from the earlier coordination project can "
        "also help in carrying out the HOKS process.",
    ),
    ("B", "Oppimisanalytiikka ja opiskelijan digijalanjälki"): (
        "Av de projekt som Zoomi koordinerar tog projektet Poluttamo fram flera praxis som stöder lärandeanalys och "
        "identifieringen av den studerandes digitala fotavtryck. Du kan bekanta dig med dessa praxis nedan.",
        "Of the projects coordinated by Zoomi, the Poluttamo project produced several practices that support learning "
        "analytics and the identification of the student's digital footprint. You can look at these practices "
        "below.",
    ),
    ("B", "Työelämälähtöisyyttä tukevat toimintatavat"): (
        "Under det tidigare koordineringsprojektet uppstod också praxis som stöder yrkesutbildningens "
        "arbetslivsorientering. Beskrivningarna är lokala exempel på genomförande, eftersom de kräver lokala avtal "
        "och förändrade arbetssätt och arbetsmiljöer. De ger ändå bra stöd för planeringen i den egna "
        "organisationen.\n\n"
        "Praxisen gäller till exempel att göra arbete i verkstäder till studier och en ny arbetslivsorienterad "
        "pedagogik (YritysAmis).",
        "The earlier coordination project also produced practices that support a working-life orientation in "
        "vocational education and training. These descriptions are local examples of implementation, since they "
        "require local agreements and changes in ways of working and in working environments. Even so, they are a "
        "good aid to planning in your own organisation.\n\n"
        "These practices concern, for example, recognising work in workshops as studies and a new kind of "
        "working-life oriented pedagogy (YritysAmis).",
    ),
    ("B", "Muut uudet oppimisympäristöt ja digitaalisuus"): (
        "Under det pågående koordineringsprojektet har modellen Dude Show Your Digi beskrivits i Metodbanken. Den "
        "beskriver en arbetslivsorienterad lärmiljö. Modellen har inte uppstått i ett ESF-projekt inom delen "
        "Smidiga övergångar. I den lärmiljö som projektet utvecklat stärks deltagarnas kunnande i digitalisering och "
        "de bekantar sig med arbetslivets krav i IT-branschen. Beskrivningen av modellen finns nedan.\n\n"
        "Under det föregående Zoomi-projektet har man dessutom arbetat med digitala verktyg och lärmiljöer, såsom ett "
        "nätspel (se också Urapeli under temat Smidig övergång till utbildning), en digital webbmiljö för "
        "välbefinnande, läromaterial på nätet osv.",
        "During the current coordination project, the Dude Show Your Digi model, which describes a learning "
        "environment oriented to working life, has been described in the method bank. The model did not come from an "
        "ESF project of the Smooth Transitions strand. The learning environment the project developed strengthens "
        "participants' digital skills and introduces them to what working life in the IT field requires. The "
        "description of the model is below.\n\n"
        "In addition, digital tools and learning environments were worked on during the previous Zoomi project, such "
        "as an online game (see also Urapeli under the theme Smooth transition into education), a digital wellbeing "
        "environment, online learning materials, etc.",
    ),
    ("B", "Osaamisen tunnistaminen ja yksilöllisten opintopolkujen tukeminen"): (
        "Som stöd för identifieringen av kunnande har SOPU-projektet under det pågående Zoomi-projektet beskrivit "
        "yrkesutbildningens olika möjliga studievägar. Med hjälp av beskrivningen kan du bekanta dig med hur den "
        "nationella modellen genomförs. Modellen har tagits fram utifrån en lokal, regional god praxis.\n\n"
        "Under det tidigare koordineringsprojektet beskrev projektet Yksilöllisyyttä opintopoluille också bilder av "
        "studievägar i Metodbanken. I andra projekt skapades praxis för att göra verkstadsverksamhet till studier "
        "och för att visualisera studievägar. De senare hänger också ihop med andra projektresultat som beskrivs "
        "under temat Handledning för smidiga övergångar under utbildningen.",
        "To support the identification of competence, the SOPU project has, during the current Zoomi project, "
        "described the different study paths possible in vocational education and training. With the description "
        "you can see how the national model is implemented. The model was developed from a local, regional good "
        "practice.\n\n"
        "During the earlier coordination project, the Yksilöllisyyttä opintopoluille project also described study "
        "path charts in the method bank. Other projects created practices for recognising workshop activities as "
        "studies and for visualising study paths. The latter are also linked to other project results described "
        "under the theme Guidance for smooth transitions during education.",
    ),
    ("C", "Keskeyttämistilanteessa olevien opiskelijoiden tunnistaminen ja ohjaus"): (
        "För att identifiera och handleda studerande som riskerar att avbryta studierna har en modell och praxis "
        "utvecklats under det pågående koordineringsprojektet, särskilt i projektet Vamos 2. aste. Modellen ska öka "
        "läroanstaltspersonalens beredskap att stödja de studerandes engagemang i studierna och främja "
        "genomströmningen. Den innehåller verktyg som synliggör hur läroanstaltens kultur påverkar studieavbrott och "
        "engagemang, beskriver ett arbetssätt som främjar engagemang och funderar på hur kunskapsbaserad ledning "
        "kan förebygga studieavbrott. Modellen beskrivs nedan.\n\n"
        "Från samma projekt har också arbetssättet i individuell coachning och gruppbaserade stödmodeller för "
        "studerande som inte framskrider i studierna eller återvänder efter ett avbrott beskrivits närmare. "
        "SOPU-projektet har däremot beskrivit processen vid studieavbrott. Under det tidigare koordineringsprojektet "
        "skapades olika praxis och tillämpningar inom handlednings- och stödtjänster för att förebygga studieavbrott, "
        "och man funderade till exempel på de kritiska punkterna på studievägen. Du kan granska dessa praxis nedan.",
        "For identifying and guiding students at risk of dropping out, a model and practices were developed during "
        "the current coordination project, especially in the Vamos 2. aste project. The model aims to increase "
        "institution staff's readiness to support students' engagement in their studies and to promote completion. "
        "It includes tools that make visible how the institution's culture affects dropping out and engagement, "
        "describes a way of working that promotes engagement, and considers what knowledge-based management can do "
        "to prevent dropping out. The model is described below.\n\n"
        "The same project has also described in more detail its individual coaching approach and group-based support "
        "models for students who are not progressing in their studies or are returning after a break. The SOPU "
        "project, for its part, has described the process of dropping out of studies. During the earlier "
        "coordination project, various guidance and support service practices and applications were created to "
        "prevent dropping out, and the critical points of the study path, for example, were considered. You can look "
        "at these practices below.",
    ),
    ("C", "Opiskeluvalmiuksien sekä osallisuuden vahvistaminen"): (
        "De koordinerade projekten har också gett upphov till flera goda praxis som stöder de studerandes "
        "studiefärdigheter: material för självstudier, kamratstöd, mentorsmodeller och så vidare. Under det tidigare "
        "koordineringsprojektet uppstod liknande metoder som utvecklar livskunskap och studiefärdigheter och som "
        "skulle stärka de studerandes självstyrning och delaktighet i läroanstalten. Många av dessa praxis "
        "utvecklades för mångkulturella grupper eller grupper med invandrarbakgrund.",
        "The coordinated projects have also produced several good practices that support students' study skills: "
        "self-study materials, peer support, mentoring models and so on. The earlier coordination project produced "
        "similar methods for developing life skills and study skills, which aimed to strengthen students' "
        "self-direction and participation in the institution. Many of these practices were developed for "
        "multicultural groups or groups with an immigrant background.",
    ),
    ("C", "Työvaltaiset oppimisympäristöt"): (
        "Man har försökt förebygga studieavbrott redan i projekten under programmet för effektivare "
        "genomströmning genom att öka antalet arbetsbetonade lärmiljöer och metoder. Under det tidigare "
        "koordineringsprojektet beskrevs i Metodbanken arbetslivsorienterade studielinjer och främst praxis för "
        "studier i verkstäder och för identifiering och erkännande av dessa studier. Projektet Opit työssä skapade "
        "också ett coachningsprogram om arbetsbetonat lärande för lärare och arbetscoacher. Dessa praxis var mycket "
        "ortsbundna men delvis tillämpliga även på andra håll.",
        "Preventing dropping out was already supported in the projects of the programme to improve completion of "
        "studies, by adding work-based learning environments and methods. During the earlier coordination project, "
        "work-life oriented study lines and, mostly, practices for studying in workshops and for identifying and "
        "recognising these studies were described in the method bank. The Opit työssä project also created a "
        "coaching programme on work-based learning for teachers and job coaches. These practices were very much tied "
        "to their localities but partly applicable elsewhere too.",
    ),
    ("C", "Opiskeluhoitoa tukevat käytännöt ja mallit"): (
        "Under koordineringsprojektet utvecklades ett arbetssätt för gemensam studerandevård. Dessa praxis är mycket "
        "ortsbundna.",
        "During the coordination project, a way of working was developed for communal student welfare. These "
        "practices are very much tied to their localities.",
    ),
    ("C", "Sisäisiä siirtymiä tukevat käytännöt"): (
        "Under det tidigare Zoomi-projektet dokumenterade SISU-projektet flera goda praxis i Metodbanken. Med lokala "
        "exempel beskriver de hur man med en övergångscoach, genom att identifiera faktorer som hindrar och främjar "
        "övergångar och med individuell handledning kan förebygga studieavbrott och hjälpa den studerande att hitta "
        "en ny bransch och plats i läroanstalten.",
        "During the earlier Zoomi project, the SISU project documented several good practices in the method bank. "
        "With local examples, they describe how a transition coach, identifying the factors that hinder and promote "
        "transitions, and individual guidance can prevent dropping out and help students find a new field and a new "
        "place in the institution.",
    ),
    ("C", "Jatkuvan hakeutumisen ohjaus"): (
        "Kontinuerlig ansökan har efter reformen av yrkesutbildningen blivit ett viktigt tema för smidigare "
        "övergångar. SOPU-projektet har därför tagit fram modellen Sökandens trappsteg, som synliggör "
        "ansökningsprocessen och samtidigt lyfter fram handledningens olika roller under processen. Du kan bekanta "
        "dig med modellen nedan.\n\n"
        "Som stöd för modellerna har olika praktiska beskrivningar av processen och verktyg för kontinuerlig ansökan "
        "skapats. Checklistan för flexibel antagning och andra praxis för övergångsskedet från det tidigare "
        "koordineringsprojektet stöder väl genomförandet av modellen Sökandens trappsteg.",
        "Since the reform of vocational education and training, continuous application has become an important theme "
        "for smoother transitions. The SOPU project has therefore produced the Applicant's Steps model, which makes "
        "the application process visible and at the same time shows the different roles of guidance during the "
        "process. You can look at the model below.\n\n"
        "To support the models, various practical descriptions of the process and tools for carrying out continuous "
        "application have been created. The checklist for flexible admission and other transition-stage practices "
        "from the earlier coordination project support the Applicant's Steps model well.",
    ),
    ("D", "Väyläopinnot ammatillisesta koulutuksesta ammattikorkeakouluun"): (
        "Under projekten för smidiga övergångar har flera goda praxis och modeller tagits fram för stigstudier. Under "
        "det pågående koordineringsprojektet har en modell som förbereder för YH-studier tagits fram, särskilt för "
        "studerande med invandrarbakgrund. EPPA-projektets modell beskriver yrkesinriktade stigstudier till "
        "Lapplands yrkeshögskola. Du kan bekanta dig med modellerna nedan.\n\n"
        "Under det föregående koordineringsprojektet togs flera praxis fram som förbereder för "
        "yrkeshögskolestudier. Yrkeshögskolestudier har anpassats för att kunna studeras vid en yrkesläroanstalt, "
        "och i en stor del av projekten har de kunnat räknas till godo i en YH-examen. Samtidigt har de underlättat "
        "övergången till högskolestudier efter en yrkesinriktad grundexamen. Sådana tillämpningar har tagits fram "
        "för olika utbildningsområden, såsom företagsekonomi, socionomer och teknik. Många praxis är bransch- eller "
        "regionspecifika, så att använda dem kräver att man sätter sig in i praxisen och anpassar den till en ny "
        "miljö. De flesta kräver lokala avtal.",
        "During the Smooth Transitions projects, several good practices and models were produced for pathway "
        "studies. During the current coordination project, a model preparing for studies at a university of applied "
        "sciences has been produced, especially for students with an immigrant background. The EPPA project's model "
        "describes vocational pathway studies to Lapland University of Applied Sciences. You can look at the models "
        "below.\n\n"
        "Several practices preparing for studies at universities of applied sciences were produced during the "
        "previous coordination project. Studies of a university of applied sciences have been adapted so that they "
        "can be taken at a vocational institution, and in many of the projects they could be credited towards a "
        "degree of a university of applied sciences, while also making it easier to move on to higher education "
        "after a vocational qualification. These applications have been produced for different fields, such as "
        "business, social services and engineering. Many practices are implementations for a particular field or "
        "region, so using them requires getting to know the practice and adapting it to a new setting. Most require "
        "local agreements.",
    ),
    ("D", "Muut jatko-opintoihin siirtymistä tukevat mallit"): (
        "Utöver stigstudierna har projekten försökt öka yrkesstuderandes beredskap att studera vid högskola. "
        "KETTU-projektet tog fram en modell som stöd för handledningen inför fortsatta studier. Modellen beskriver "
        "olika vägar till fortsatta studier från yrkesutbildningen till yrkes- eller specialyrkesexamina eller "
        "högskolestudier. EPPA-projektets modell beskriver vilken betydelse och vilka möjligheter ett funktionellt "
        "samarbete har för att stödja smidiga övergångar. Modellerna finns här:\n\n"
        "Både EPPA- och KETTU-projekten har också skapat praxis som närmare beskriver hur vägarna till fortsatta "
        "studier genomförs lokalt. Som stöd för detta skapades under det tidigare koordineringsprojektet dessutom "
        "verktyg för självbedömning, universitetskurser, beskrivningar av studiekraven samt språkstudier och "
        "förberedande matematik för dem som är intresserade av högskolestudier. En del av praxisen stöder också "
        "förberedelsen av studerande med invandrarbakgrund för högre utbildning. Många av dessa praxis kräver lokala "
        "avtal och att samarbetsmönster byggs upp.",
        "Besides pathway studies, the projects have sought to increase vocational students' readiness to study in "
        "higher education. The KETTU project produced a model to support guidance for further studies. The model "
        "describes different paths from vocational education and training to further or specialist vocational "
        "qualifications or to higher education. The EPPA project's model describes the importance and possibilities "
        "of practical cooperation in supporting smooth transitions. You can look at the models here:\n\n"
        "Both the EPPA and the KETTU projects have also created practices that explain in more detail how paths to "
        "further studies are carried out locally. To support this, the earlier coordination project also created "
        "self-assessment tools, university courses, descriptions of study requirements, and language studies and "
        "mathematics coaching for those interested in higher education. Some of the practices also support preparing "
        "students with an immigrant background for higher education. Many of these practices require local "
        "agreements and setting up patterns of cooperation.",
    ),
    ("D", "Ammatillisten oppilaitosten ja ammattikorkeakoulujen yhteistyötä edistävät mallit"): (
        "Under det tidigare koordineringsprojektet skapades också goda praxis som stöder samarbetet mellan "
        "yrkesläroanstalter och yrkeshögskolor. Många av dem överlappar eller stöder praxis under de tidigare temana. "
        "Tyngdpunkten ligger på att identifiera vad yrkesutbildningen på andra stadiet och yrkeshögskoleutbildningen "
        "har gemensamt och sätt som möjliggör samarbete och en smidigare övergång till högskoleutbildning. Också "
        "dessa praxis är mycket ortsbundna, men som exempel visar de väl på vilka sätt samarbete kan byggas upp. Den "
        "bästa guiden till detta är den lägesanalys som Jatkoväylä gjort om samarbetet.",
        "The earlier coordination project also created good practices that support cooperation between vocational "
        "institutions and universities of applied sciences. Many of them overlap with, or support, the practices of "
        "the earlier themes. They focus on identifying what upper secondary vocational education and training and "
        "education at universities of applied sciences have in common, and ways that enable cooperation and a "
        "smoother transition of students to higher education. These practices, too, are very much tied to their "
        "localities, but as examples they show well how cooperation can be built up. The best guide to this is the "
        "review of the current state of cooperation carried out by Jatkoväylä.",
    ),
    ("D", "Uraohjaus ja työhakutaitojen vahvistaminen"): (
        "Utöver studiefärdigheterna har projekten för smidiga övergångar också försökt stärka de studerandes "
        "färdigheter att söka arbete, bland annat med hjälp av karriärhandledning. I projektet Erilaisia Polkuja "
        "Pitkin Ammattiin (EPPA) har man till exempel utvecklat en framtidsorienterad modell för PUK och "
        "karriärhandledning som beaktar behoven i föränderliga verksamhetsmiljöer och på så sätt ökar de "
        "studerandes beredskap att bygga sin egen framtid och övergå till arbetslivet eller till fortsatta studier. I "
        "projektet Urheilijoiden kaksoisurat Päijät-Hämeessä har man i sin tur tagit fram ett verktyg som stöd för "
        "unga idrottares karriär- och framtidsplanering.\n\n"
        "För att utveckla karriärhandledningen har projekten dessutom tagit fram coachningar där lärare kan utveckla "
        "sina egna färdigheter i karriärhandledning. Som stöd för de studerandes karriärhandledning har man också "
        "skapat modeller för karriärhandledning, handledningswebbplatser, verktyg för att identifiera arbetslivets "
        "framtid och mer konkreta verktyg för att planera sysselsättning. Projekten har också tagit fram praxis för "
        "att stödja sysselsättningen av studerande med invandrarbakgrund.",
        "Besides study skills, the Smooth Transitions projects have sought to strengthen students' job-seeking "
        "skills, among other things through career guidance. The Erilaisia Polkuja Pitkin Ammattiin (EPPA) project, "
        "for example, has developed a future-oriented HOKS and career guidance model that takes the needs of "
        "changing operating environments into account and so increases students' readiness to build their own "
        "future and to move on either to working life or to further studies. The Urheilijoiden kaksoisurat "
        "Päijät-Hämeessä project (dual careers of athletes) has produced a tool to support young athletes in "
        "planning their careers and futures.\n\n"
        "To develop career guidance, the projects have also produced coaching in which teachers can develop their "
        "own career guidance skills. To support students' career guidance, the projects have also created career "
        "guidance models, guidance websites, tools for recognising the future of working life and more concrete "
        "tools for planning employment. The projects have also produced practices to support the employment of "
        "students with an immigrant background.",
    ),
    ("D", "Työllistymisen tukeminen"): (
        "Utöver färdigheter i karriärplanering och sysselsättning har projekten försökt skapa sätt att hjälpa "
        "studerande att hitta en arbetsplats och få arbete. I modellen Amisappi har man lokalt i Satakunta samlat "
        "arbetsplatser för utbildningsavtal och läroavtal för den examen som avläggs. Projektet Ammattitaitoa "
        "yhdessä har i sin tur skapat en modell för samarbete mellan läroanstalt och arbetsplats och visat hur till "
        "exempel lärande på arbetsplatsen och i läroanstalten kompletterar varandra. Modellen Sujuvasti opin "
        "portailta työelämään ska främja slutskedet av studierna och sysselsättningen för studerande med utländsk "
        "eller romsk bakgrund. Du kan bekanta dig med modellerna nedan.\n\n"
        "Utöver dessa modeller har flera goda praxis utvecklats för att stödja sysselsättning. De praxis som "
        "beskrivits i Metodbanken under det pågående koordineringsprojektet stöder genomförandet av de nämnda "
        "modellerna, såsom Amisappis tillämpningar för olika examensområden och informationskort för handledare på "
        "arbetsplatser. Dessutom ska kamratgruppen i coachningen Kohti työelämää i projektet Vamos 2. aste stödja "
        "de studerandes övergång till arbetslivet. Under det tidigare koordineringsprojektet beskrevs i Metodbanken "
        "också praxis för information om arbetsplatser, infotillfällen om arbetsplatser, sysselsättningsmässor och "
        "fadderföretagsverksamhet. Projekten har också beskrivit en webbmiljö för att utveckla de egna "
        "färdigheterna att söka arbete och en tilläggsfunktion i Wilma, liknande Amisappi, där arbetsgivare kan "
        "anmäla lediga platser.",
        "Besides career and employment skills, the projects have sought to create ways of helping students find a "
        "workplace and get a job. The Amisappi model has gathered, locally in Satakunta, the workplaces for "
        "training agreements and apprenticeships in the qualification being taken. The Ammattitaitoa yhdessä project "
        "has created a model for cooperation between an institution and a workplace and shown how, for example, "
        "learning at the workplace and at the institution complement each other. The Sujuvasti opin portailta "
        "työelämään model aims to support the final stage of studies and the employment of students with a foreign "
        "or Roma background. You can look at these models below.\n\n"
        "Besides these models, several good practices have been developed to support employment. The practices "
        "described in the method bank during the current coordination project support the implementation of the "
        "models above, such as Amisappi's applications for different fields of qualification and information cards "
        "for workplace instructors. In addition, the peer group of the Kohti työelämää (towards working life) "
        "coaching in the Vamos 2. aste project aims to support students' transition to working life. During the "
        "earlier coordination project, practices for job information, workplace information events, employment "
        "fairs and sponsor company activities were also described in the method bank. The projects have also "
        "described an online environment for developing one's own job-seeking skills and an add-on to Wilma, like "
        "Amisappi, where employers can announce vacancies.",
    ),
}


def seed_intros(theme_code: str, subtheme_name: str | None = None) -> dict:
    """{"description_sv": ..., "description_en": ...} for a theme (or one of its subthemes) of the seed, or {}."""
    intros = THEMES.get(theme_code) if subtheme_name is None else SUBTHEMES.get((theme_code, subtheme_name))
    return {"description_sv": intros[0], "description_en": intros[1]} if intros else {}


def fill(apps, schema_editor):
    Theme = apps.get_model("catalog", "Theme")
    Subtheme = apps.get_model("catalog", "Subtheme")
    for theme in Theme.objects.filter(code__in=THEMES):
        _fill_empty(theme, seed_intros(theme.code))
    for subtheme in Subtheme.objects.select_related("theme"):
        _fill_empty(subtheme, seed_intros(subtheme.theme.code, subtheme.name))


def _fill_empty(obj, values):
    changed = [field for field, value in values.items() if not getattr(obj, field)]
    for field in changed:
        setattr(obj, field, values[field])
    if changed:
        obj.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_theme_subtheme_intro_sv_en")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
