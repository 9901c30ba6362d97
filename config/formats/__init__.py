"""Date and number formats for the bank's audience in Finland (FORMAT_MODULE_PATH).

Django's own "sv" formats follow Sweden (2019-05-01) and its "en" formats the United States
(May 1, 2019). Finland-Swedish writes dates like Finnish (1.5.2019, kl. 14.30), and the English
interface uses the day-month-year order (1 May 2019). Finnish uses Django's formats unchanged.
Anything not set here falls back to Django's formats for the language.
"""
