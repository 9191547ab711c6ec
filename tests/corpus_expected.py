"""Hand-checked numbers for the shared corpus (issue 14, requirement 6), established without
kartoitus or pandas: each file read with `csv.reader` (xlsx: openpyxl's rows), blank rows and
header rows left out, then the cells of one column counted (a multi option: the cells that hold
anything but blank, in the option's own column, or the cells of a joined column that contain the
option's text). How each was counted is noted beside it.

`RESPONDENTS`: file → respondents kept (rows less duplicate e-mail addresses, Qualtrics preview
rows left out). `TABULATIONS`: file → question id of the untouched draft → answer label (multi: option
label; matrix: answers to its first statement) → respondents. Files the corpus test already
checks by hand with their structure file (OSPO numeric, LimeSurvey digital twins, REDCap) are
in test_corpus.EXPORTS.
"""

OSPO_TEXT = "surveymonkey-ospo-2024/2024 OSPO N222 Raw Data Text.csv"
HOUSTON = "surveymonkey-legacy-houston/Sheet_1.csv"

RESPONDENTS = {
    OSPO_TEXT: 222,  # 910 data rows, 688 of them empty
    HOUSTON: 4,
    "qualtrics-projoint/mummolo_nall_replication.csv": 518,
    "qualtrics-psa006/PSA006_Southern_March+7,+2020_15.32.csv": 4,  # 7 rows, 3 with Status "Survey Preview"
    "qualtrics-qualtrics-sample/sample.csv": 1,
    "limesurvey-r-export-learning-analytics/survey_951135_R_data_file.csv": 189,
    "limesurvey-spss-export/survey_148393_SPSS_data_file.dat": 212,
    "kobotoolbox-reach-jmmi/utilityR_raw_data.xlsx": 771,
    "sosci-survey-ba-rp1/exp1_data.csv": 112,
    "typeform-stacks-governance/results-anonymized-randomized.csv": 69,
    "typeform-blink/typeform_responses.csv": 8,
    "google-forms-coba-2024/raw_responses.csv": 483,
    "microsoft-forms-hamk-learnwell/learnwell_dataset.xlsx": 6,
    # 9 rows from 4 e-mail addresses (john 2, tytti 2, keke 3, henri 2): one response each.
    "finnish-municipal-eform-jkr/ilmoitukset.xlsx": 4,
}

TABULATIONS = {
    OSPO_TEXT: {
        # Rows 2-3 of the header hold question and option; an option column holds its own label
        # where ticked (select one drafted as a multi). Counted: non-blank cells per option column.
        "in_which_region_does_your_organization": {"Europe": 84, "United States or Canada": 78,
                                                   "Central America, the Caribbean, and South America": 10,
                                                   "Don't know or not sure": 0},
        # The option "0" is ticked with "0", its own label, in 54 rows.
        "how_many_open_source_projects_does_your": {"Don't know or not sure": 32, "0": 54, "1 to 5": 63,
                                                    "6 to 10": 25, "11 to 50": 22, "51 to 100": 8},
        # The grid's first row "Contribute code upstream - <answer>": non-blank cells per column.
        "how_often_does_your_organization_do_the": {"Never": 38, "Rarely": 45, "Sometimes": 61, "Frequently": 38,
                                                    "Very frequently": 33, "Don't know or not sure": 7},
    },
    HOUSTON: {
        # Column "… - No" holds "No" in 1 row (a tick: the option's own label), "… - Yes<br />…"
        # an explanation typed in 3 rows.
        "are_your_programs_evidence_based": {"No": 1, "Yes<br />Please elaborate on the models / practices.": 3},
        "which_languages_can_your_organization": {"English": 4, "Spanish": 1, "Arabic": 0},  # cells "English", "Spanish"
        "how_many_full_time_employees_does_your": {"50": 1, "1": 1, "4": 1, "none - volunteer non-profit organization": 1},
    },
    "qualtrics-projoint/mummolo_nall_replication.csv": {  # column by row 2 (question text), cells as text
        "what_is_your_gender_identity": {"Woman": 258, "Man": 236, "Other": 1},
        "what_is_your_age_in_years": {"18-24": 68, "25-34": 104, "35-44": 90, "45-54": 75, "55-64": 81, "65-74": 62,
                                      "75-84": 12, "85 or older": 2},
        "do_you_consent_to_participate_in_the": {"Yes": 498, "No": 20},
    },
    "qualtrics-psa006/PSA006_Southern_March+7,+2020_15.32.csv": {  # the 4 rows whose Status is not a preview
        "tajekoztato_nyilatkozat_egy_tudomanyos": {"Igen": 1},
        "q_language": {"HU": 4},
    },
    "qualtrics-qualtrics-sample/sample.csv": {"this_is_a_multiple_choice_question": {"2": 1}},  # Q1 holds 2
    "limesurvey-r-export-learning-analytics/survey_951135_R_data_file.csv": {
        # Codes as in the file (no labels without the R syntax file): column 6, the first
        # statement of the first array, and the first "Wie verständlich …" column.
        "die_nachstehenden_aussagen_beziehen_sich": {"1": 2, "2": 3, "3": 12, "4": 33, "5": 80, "6": 32},
        "wie_verstandlich_fanden_sie_die_texte": {"A1": 6, "A2": 8, "A3": 24, "A4": 32, "A5": 40, "A6": 26},
    },
    "limesurvey-spss-export/survey_148393_SPSS_data_file.dat": {
        # Fields 5 and 6 (V5, V6) of the header-less ' -quoted file, labelled by the .sps file's
        # VALUE LABELS: V5 A2 113, A1 64, A3 22, A4 6; V6 A1 144, A2 35, A3 7, A4 4.
        "v5": {"stimme voll und ganz zu": 64, "stimme weitgehend zu": 113, "stimme weitgehend nicht zu": 22,
               "stimme überhaupt nicht zu": 6},
        "v6": {"angenehm": 144, "unbefriedigend": 35, "unangenehm": 7, "ist mir egal": 4},
    },
    "kobotoolbox-reach-jmmi/utilityR_raw_data.xlsx": {
        "a9_gender": {"gender_woman": 458, "gender_man": 313},
        "a3_interview_type": {"in_person": 738, "by_phone": 33},
        # Columns b7_1_heating_fuel/<option>: cells "1" (a 1/0 grid).
        "b7_1_heating_fuel_2": {"gas_heating": 423, "coal_heating": 11, "electricity_heating": 150,
                                "firewood_heating": 85, "woodpellets_heating": 2, "none_heating": 0},
    },
    "sosci-survey-ba-rp1/exp1_data.csv": {  # tab-separated; columns DM05, DM07, UR02x01
        "dm05": {"1": 57, "2": 42, "3": 1},
        "dm07": {"2": 29, "3": 26, "4": 23, "5": 21, "6": 1},
        "ur02": {"1": 27, "2": 26, "3": 26, "4": 33},
    },
    "typeform-stacks-governance/results-anonymized-randomized.csv": {
        "do_you_hold_stx_tokens": {"Yes": 32, "No": 19, "Prefer not to answer": 7},
        "do_you_identify_as_a_member_of_the": {"Yes!": 49, "I'm not sure": 11, "No!": 2},
    },
    "typeform-blink/typeform_responses.csv": {
        "how_did_you_come_to_know_about_the_term": {"By an email which had explicit information about tracking": 3,
                                                    "By a person you know": 2, "By adverstisement": 2},
        # A yes/no question exported as 1/0: 1 in 5 rows, 0 in 3 (labelled in the question's language by the draft).
        "have_you_ever_tracked_the_email_you_have": {"Yes": 5, "No": 3},
    },
    "google-forms-coba-2024/raw_responses.csv": {
        "where_do_you_currently_primarily_work": {"Europe": 238, "North America": 170, "Asia": 24, "South America": 23,
                                                  "Australia/Oceania": 14, "Africa": 9, "Near/Middle East": 4,
                                                  "Antarctica": 1},
        # Checkboxes joined with ", " in one cell: cells that contain the option's text.
        "which_of_the_following_roles_best": {"Image/data analyst": 93, "Principal investigator": 55,
                                              "Facility director/manager": 74},
        # The first column "In regards to learning … [Scholarly "best practices" article]".
        "in_regards_to_learning_more_about_image": {"Very preferable": 119, "Moderately preferable": 170,
                                                    "Somewhat preferable": 146, "Not at all preferable": 48},
    },
    "microsoft-forms-hamk-learnwell/learnwell_dataset.xlsx": {
        "gender": {"Woman": 4, "Man": 2},
        "study_mode": {"Full-time": 2, "Part-time": 2, "Remote": 2},
    },
    "finnish-municipal-eform-jkr/ilmoitukset.xlsx": {
        # The last row of each of the 4 e-mail addresses (the same counts as the first rows).
        "ilmoituksen_tyyppi": {"Uusi ilmoitus": 3, "Muutos aikaisemman ilmoituksen tietoihin": 1},
        "rakennuksen_tyyppi": {"Omakotitalo": 3, "Kerrostalo": 1},
    },
}
