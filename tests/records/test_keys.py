from records import keys


def test_eastern_arabic_digits_find_the_same_case_number():
    assert keys.case_number_key("١٢/٢٠٢٤") == keys.case_number_key("12/2024")
    assert keys.case_number_key("۱۲/۲۰۲۴") == keys.case_number_key("12/2024")


def test_spaces_in_a_case_number_do_not_matter_but_separators_do():
    assert keys.case_number_key(" 12 / 2024 ") == keys.case_number_key("12/2024")
    assert keys.case_number_key("12-2024") != keys.case_number_key("12/2024")


def test_typographic_dashes_are_one_dash():
    assert keys.case_number_key("2018\u201306\u20131735") == keys.case_number_key("2018-06-1735")


def test_case_number_letters_ignore_case():
    assert keys.case_number_key("ed108783") == keys.case_number_key("ED108783")


def test_national_id_ignores_the_groups_it_is_written_in():
    assert keys.national_id_key("1199 0807 1234-56") == keys.national_id_key("11990807123456")
    assert keys.national_id_key("1.199.080") == "1199080"


def test_arabic_name_without_tashkeel_or_hamza_finds_the_written_name():
    written = "أَحْمَد إبراهيم"
    assert keys.name_key(written) == keys.name_key("احمد ابراهيم")


def test_teh_marbuta_and_alef_maksura_fold_to_their_common_spellings():
    assert keys.name_key("فاطمة مصطفى") == keys.name_key("فاطمه مصطفي")


def test_tatweel_does_not_split_a_name():
    assert keys.name_key("محـــمد") == keys.name_key("محمد")


def test_turkish_dotless_and_dotted_i_fold_together():
    assert keys.name_key("YILMAZ Işık") == keys.name_key("yilmaz isik")
    assert keys.name_key("İbrahim") == keys.name_key("ibrahim")


def test_latin_accents_fold():
    assert keys.name_key("Calderón-Fuentes") == keys.name_key("calderon-fuentes")
