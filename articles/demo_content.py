# ruff: noqa: E501 (article bodies are Markdown paragraphs, one per line)
"""Demo cancer types, topics and answer pages for Navis, loaded by articles/demo.py.

Pure data: British spelling throughout. Every article is general information, written for patients,
and points readers back to their own oncology team.
"""

CANCER_TYPES = [
    {
        "name": "Stomach cancer",
        "slug": "stomach-cancer",
        "profile": "stomach",
        "description": (
            "Cancer that starts in the lining of the stomach, including cancers where the stomach meets the "
            "food pipe. Also called gastric cancer."
        ),
        "also_called": "gastric cancer, cancer of the stomach",
        "overview": (
            "Most stomach cancers begin in the cells that line the inside of the stomach. Some begin where the "
            "stomach joins the food pipe (the gastro-oesophageal junction), and doctors often treat those in much "
            "the same way.\n\n"
            "Your treatment depends on how far the cancer has grown and on tests of the cancer cells, such as HER2, "
            "PD-L1 and MSI. If you are newly diagnosed, the answers about these tests are a good place to start, so "
            "that you know what to ask your team."
        ),
        "order": 1,
    },
    {
        "name": "Breast cancer",
        "slug": "breast-cancer",
        "profile": "breast",
        "description": (
            "Cancer that starts in the cells of the breast. It is the most common cancer in women, and men can get "
            "it too."
        ),
        "overview": (
            "Breast cancer is not one disease: doctors describe each cancer by where it started, how large it is, "
            "whether it has spread, and which receptors its cells carry (oestrogen, progesterone and HER2).\n\n"
            "Those receptor results shape most treatment choices, so the answers about them are a good first read "
            "after a diagnosis."
        ),
        "order": 2,
    },
    {
        "name": "Bowel cancer",
        "slug": "bowel-cancer",
        "profile": "bowel",
        "description": (
            "Cancer that starts in the large bowel, which is made up of the colon and the rectum. Also called "
            "colorectal cancer."
        ),
        "also_called": "colorectal cancer, colon cancer, rectal cancer",
        "overview": (
            "Bowel cancer means cancer of the colon or the rectum, the last parts of the gut. It is one of the more "
            "common cancers, and many people are treated successfully, especially when it is found early.\n\n"
            "Treatment often starts with surgery, sometimes with chemotherapy or radiotherapy before or after it. "
            "Tests on the cancer, such as MSI or mismatch repair, can open up other treatments: the answers below "
            "explain what they mean."
        ),
        "order": 3,
    },
]

TOPICS = [
    {"name": "Immunotherapy", "slug": "immunotherapy"},
    {"name": "Clinical trials", "slug": "clinical-trials"},
    {"name": "Biomarker testing", "slug": "biomarker-testing"},
    {"name": "Targeted therapy", "slug": "targeted-therapy"},
    {"name": "Surgery", "slug": "surgery"},
    {"name": "Diagnosis and staging", "slug": "diagnosis-and-staging"},
    {"name": "Recovery and side effects", "slug": "recovery-and-side-effects"},
]

ACCESSED_ON = "2026-10-14"

ARTICLES = [
    {
        "slug": "how-does-car-t-cell-therapy-work-for-stomach-cancer",
        "cancer_type": "stomach-cancer",
        "topics": ["immunotherapy", "clinical-trials"],
        "title": "How does CAR-T cell therapy work for stomach cancer?",
        "summary": (
            "CAR-T cell therapy is still experimental for stomach cancer and is only offered in clinical trials. "
            "Here is how it works and what research shows."
        ),
        "byline": "Navis AI",
        "how_made": "ai_drafted",
        "body": """
To be clear from the start: **CAR-T cell therapy is not a standard treatment for stomach cancer**. At the time of writing it is experimental, and the only way to get it is through a clinical trial. It works by changing some of your own immune cells in a laboratory so they can recognise and attack cancer cells carrying a particular marker. Early trials have given some encouraging signals, but there is still much to learn about who benefits and how safe it is.

## What CAR-T cell therapy is

**T cells** are white blood cells that find and destroy infected or damaged cells. **CAR** stands for **chimeric antigen receptor**: a man-made receptor added to T cells so they can lock on to one chosen target, called an **antigen**, on cancer cells. CAR-T is already approved for some leukaemias, lymphomas and myeloma.

## How it works, step by step

1. **Collecting.** Blood is passed through a machine that keeps back white blood cells, including T cells, and returns the rest to you. This is called **leukapheresis** and takes a few hours.
2. **Reprogramming.** In a specialist laboratory, the T cells are given a new gene, usually carried in by a disabled virus that cannot cause illness. The gene tells each cell to build the CAR on its surface.
3. **Multiplying.** The altered cells are grown into many millions, which often takes a few weeks.
4. **Preparing.** Shortly before the cells are returned, most people have a brief course of chemotherapy to make room for the CAR-T cells to settle and grow.
5. **Infusing.** The cells go back into a vein through a drip, rather like a blood transfusion. Some trials give one dose; others give more.
6. **Targeting.** The cells travel around the body looking for their antigen. When they latch on to a cancer cell, they switch on, multiply and kill it.
7. **Monitoring.** You are watched closely, often in hospital, and asked to stay near the treatment centre for some weeks. Two side effects need fast treatment: **cytokine release syndrome**, which can cause fever and low blood pressure, and effects on the brain, such as confusion or difficulty speaking.

## What research shows so far

Most research has focused on CAR-T cells aimed at **Claudin 18.2**, a protein found on many stomach cancers. The same marker is targeted by **zolbetuximab**, an antibody drug approved with chemotherapy for some people with advanced stomach cancer.

- In early trials, mostly in China, tumours shrank in some people whose cancer had stopped responding to other treatments.
- In a randomised trial reported in 2025, people given a Claudin 18.2 CAR-T treatment went longer, on average, before their cancer grew than people given the usual later-line options. How much it helps people live longer is still being worked out.
- Side effects in these studies included low blood counts, cytokine release syndrome (mostly mild to moderate), sickness and irritation of the stomach lining.

## Why solid tumours are harder to treat with CAR-T

1. **Finding a safe target.** Markers on stomach cancer cells are often also present, in smaller amounts, on healthy tissue, so an attack on the cancer can harm normal organs.
2. **Patchy markers.** One tumour can mix cells covered in the target with cells that have little or none. Cells the CAR-T cells cannot see may survive and regrow.
3. **Getting in.** In blood cancers, CAR-T cells meet the cancer in the bloodstream. A stomach tumour is a dense mass the cells must force their way into.
4. **An unfriendly neighbourhood.** Solid tumours surround themselves with signals that switch immune cells off.
5. **Running out of steam.** Even inside the tumour, CAR-T cells can tire and fade.

## Where things stand now

- At the time of writing, no CAR-T treatment is approved for stomach cancer by the FDA, the MHRA or the European Medicines Agency. It is available only in clinical trials, at a few specialist centres.
- Trials usually require certain test results, such as enough Claudin 18.2 in a biopsy, and often enrol people who have already had standard treatment.
- Chemotherapy, combined where your test results allow with trastuzumab, immunotherapy or zolbetuximab, remains the starting point for advanced stomach cancer.

## Important context

CAR-T has given long-lasting remissions to some people with blood cancers. Stomach cancer research is several steps behind, and promising early results are not always confirmed in larger trials. A trial can mean travel, extra appointments and close monitoring, with no guarantee of benefit. If you are interested, ask your oncology team early, as eligibility can depend on which treatments you have had.

*This page is general information to help you talk with your care team. It is not advice about your own treatment.*
""",
        "questions": [
            "Are there any CAR-T or other cell therapy trials for stomach cancer that I could be eligible for?",
            "Has my cancer been tested for Claudin 18.2, and what did the result show?",
            "Would joining a trial affect which standard treatments I can have now or later?",
            "How far would I need to travel, and how long would I need to stay near the trial centre?",
            "What side effects were seen in the trial you are suggesting, and how would they be managed?",
            "What are my standard treatment options if a trial is not suitable for me?",
        ],
        "resources": [
            {
                "name": "ClinicalTrials.gov",
                "url": "https://clinicaltrials.gov/search?cond=Stomach%20Cancer&intr=CAR-T",
                "note": "A searchable database of trials worldwide. Filter by country and check which are recruiting.",
            },
            {
                "name": "Cancer Research UK: find a clinical trial",
                "url": "https://www.cancerresearchuk.org/about-cancer/find-a-clinical-trial",
                "note": "Plain-language summaries of cancer trials running in the UK.",
            },
            {
                "name": "National Cancer Institute: clinical trials search",
                "url": "https://www.cancer.gov/research/participate/clinical-trials-search",
                "note": "Trials supported by the US National Cancer Institute, with a helpline for questions.",
            },
        ],
        "sources": [
            {
                "title": "CAR T Cells: Engineering Patients' Immune Cells to Treat Their Cancers",
                "publisher": "National Cancer Institute",
                "url": "https://www.cancer.gov/about-cancer/treatment/research/car-t-cells",
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": "CAR T-cell Therapy and Its Side Effects",
                "publisher": "American Cancer Society",
                "url": "https://www.cancer.org/cancer/managing-cancer/treatment-types/immunotherapy/car-t-cell1.html",
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": "NCCN Clinical Practice Guidelines in Oncology: Gastric Cancer",
                "publisher": "National Comprehensive Cancer Network",
                "url": "https://www.nccn.org/guidelines/guidelines-detail?category=1&id=1434",
                "guideline_version": "Version 2.2026",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": "Approved Cellular and Gene Therapy Products",
                "publisher": "US Food and Drug Administration",
                "url": (
                    "https://www.fda.gov/vaccines-blood-biologics/cellular-gene-therapy-products/"
                    "approved-cellular-and-gene-therapy-products"
                ),
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
        ],
        "related": [
            "what-is-pd-l1-cps-and-why-does-it-matter-in-stomach-cancer",
            "what-does-her2-positive-mean-for-stomach-cancer-treatment",
        ],
        "featured": True,
    },
    {
        "slug": "what-does-her2-positive-mean-for-stomach-cancer-treatment",
        "cancer_type": "stomach-cancer",
        "topics": ["biomarker-testing", "targeted-therapy"],
        "title": "What does HER2-positive mean for stomach cancer treatment?",
        "summary": (
            "HER2-positive stomach cancer makes too much of a growth protein called HER2. Learn how it is tested "
            "and how it opens the door to targeted drugs."
        ),
        "byline": "Navis AI",
        "how_made": "ai_drafted",
        "body": """
**HER2-positive** means the cancer cells carry too much of a protein called **HER2** on their surface, which can push them to grow and divide. For stomach cancer that has spread or cannot be removed with surgery, this matters because it makes you eligible for drugs that target HER2, most often **trastuzumab** given alongside chemotherapy.

## What HER2 is

HER2 is a receptor that helps control how cells grow. Healthy cells have small amounts. In some cancers, the gene that makes HER2 is copied many times over, so the cells make far too much of the protein.

In studies, a minority of stomach cancers are HER2-positive, often quoted as around 1 in 5 or fewer. It is more common in cancers at the top of the stomach, near where it joins the food pipe (the **gastro-oesophageal junction**).

## How HER2 is tested

1. **Getting tissue.** The test uses cancer tissue taken during an endoscopy or an operation. Several biopsy pieces help, because HER2 can be patchy in stomach cancer.
2. **Staining the sample.** A lab test called **immunohistochemistry (IHC)** shows how much HER2 protein is present. It is scored 0, 1+, 2+ or 3+. A score of 0 or 1+ counts as negative, and 3+ counts as positive.
3. **Checking borderline results.** A score of 2+ is unclear, so a second test, called **in situ hybridisation (ISH)**, looks for extra copies of the HER2 gene. If there are too many copies, the cancer is HER2-positive.

Stomach cancers are scored by slightly different rules from breast cancers, so the lab should use stomach-specific criteria. HER2 status can also change over time, so your team may suggest testing a new biopsy if the cancer grows.

## What it means for treatment

### Cancer that has spread or cannot be removed

- The usual first treatment is **trastuzumab** plus chemotherapy, normally a fluoropyrimidine (such as capecitabine or 5-FU) with a platinum drug (such as oxaliplatin or cisplatin). In studies, adding trastuzumab helped people live longer, on average, than chemotherapy alone.
- In some countries, the immunotherapy drug **pembrolizumab** can be added for people whose cancer also has a PD-L1 combined positive score of 1 or more. Which combinations are funded differs between countries.
- If the cancer grows after trastuzumab, **trastuzumab deruxtecan** may be an option. It is an antibody joined to a chemotherapy drug, which carries the chemotherapy straight to HER2-positive cells.
- Newer HER2-targeted drugs are being tested in clinical trials.

### Cancer that can be removed with surgery

Treatment is usually chemotherapy before and after surgery, whatever the HER2 result. Adding HER2-targeted drugs at this stage is still being studied and is not standard care.

## Side effects to know about

Trastuzumab is usually easier to cope with than chemotherapy, but it can weaken the heart's pumping action in some people. You will usually have a heart scan before starting and checks during treatment. Tell your team if you notice breathlessness, a racing heartbeat or swollen ankles. Trastuzumab deruxtecan can occasionally cause lung inflammation, so report any new cough or shortness of breath straight away.

## Other tests that matter

HER2 is one of several markers your team will look at. Others include **PD-L1**, which guides immunotherapy, **Claudin 18.2**, which guides treatment with zolbetuximab if your cancer is HER2-negative, and **mismatch repair (MMR)** or **MSI** status. Together these help your team choose the treatment most likely to work for you.

## Important context

Being HER2-positive does not, by itself, mean your outlook is better or worse. What it does mean is that there is an extra set of treatments designed for your type of cancer. Your team will also weigh up the stage of the cancer, your general health and what matters most to you. Ask them to explain your own results and what they mean for your plan.

*This page is general information to help you talk with your care team. It is not advice about your own treatment.*
""",
        "questions": [
            "Has my cancer been tested for HER2, and what was the score?",
            "If my IHC result was 2+, has an ISH test been done to confirm it?",
            "Will trastuzumab be part of my treatment, and what other drugs will I have with it?",
            "What are my PD-L1 and Claudin 18.2 results, and do they change my options?",
            "How will you check my heart during treatment?",
            "If the cancer grows, would you test a new biopsy for HER2 before choosing the next treatment?",
        ],
        "resources": [
            {
                "name": "Cancer Research UK: stomach cancer",
                "url": "https://www.cancerresearchuk.org/about-cancer/stomach-cancer",
                "note": "Plain-language guides to stomach cancer tests, treatments and living with the illness.",
            },
            {
                "name": "American Cancer Society: stomach cancer",
                "url": "https://www.cancer.org/cancer/types/stomach-cancer.html",
                "note": "Information on treatment, including targeted drugs, plus a 24-hour helpline in the US.",
            },
        ],
        "sources": [
            {
                "title": "NCCN Clinical Practice Guidelines in Oncology: Gastric Cancer",
                "publisher": "National Comprehensive Cancer Network",
                "url": "https://www.nccn.org/guidelines/guidelines-detail?category=1&id=1434",
                "guideline_version": "Version 2.2026",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": "Targeted Drug Therapy for Stomach Cancer",
                "publisher": "American Cancer Society",
                "url": "https://www.cancer.org/cancer/types/stomach-cancer/treating/targeted-therapies.html",
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": "Gastric Cancer: ESMO Clinical Practice Guideline",
                "publisher": "European Society for Medical Oncology",
                "url": "https://www.esmo.org/guidelines/guidelines-by-topic/gastrointestinal-cancers/gastric-cancer",
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": "Stomach Cancer Treatment (PDQ), Patient Version",
                "publisher": "National Cancer Institute",
                "url": "https://www.cancer.gov/types/stomach/patient/stomach-treatment-pdq",
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
        ],
        "related": [
            "what-is-pd-l1-cps-and-why-does-it-matter-in-stomach-cancer",
            "how-does-car-t-cell-therapy-work-for-stomach-cancer",
            "what-is-the-difference-between-her2-positive-and-triple-negative-breast-cancer",
        ],
        "featured": False,
    },
    {
        "slug": "what-is-pd-l1-cps-and-why-does-it-matter-in-stomach-cancer",
        "cancer_type": "stomach-cancer",
        "topics": ["biomarker-testing", "immunotherapy"],
        "title": "What is PD-L1 CPS and why does it matter in stomach cancer?",
        "summary": (
            "PD-L1 CPS is a score that shows how much PD-L1 is in a stomach cancer sample. It helps decide whether "
            "immunotherapy is likely to help."
        ),
        "byline": "Navis AI",
        "how_made": "ai_drafted",
        "body": """
**PD-L1** is a protein that can help cancer hide from the immune system. The **combined positive score (CPS)** is a number that shows how much PD-L1 is present in a sample of your tumour. In advanced stomach cancer, it is one of the main results your team uses to decide whether adding an **immunotherapy** drug to chemotherapy is likely to help you.

## How PD-L1 and immunotherapy fit together

Your T cells, a type of white blood cell, carry a protein called **PD-1** that works like a brake. When PD-L1 on cancer cells or nearby cells touches PD-1, the brake goes on and the T cells stand down. Drugs called **checkpoint inhibitors**, such as **nivolumab**, **pembrolizumab** and **tislelizumab**, block this contact so the immune system can attack the cancer again.

## How the score is worked out

1. **Staining the sample.** Tissue from your biopsy or operation is treated with a stain that shows up PD-L1.
2. **Counting stained cells.** A pathologist counts the cancer cells and the nearby immune cells that have taken up the stain.
3. **Comparing.** That number is divided by the total number of living cancer cells in the sample, then multiplied by 100.
4. **Reporting.** The result is given as a number from 0 up to 100. Any result above 100 is recorded as 100.

Because immune cells are counted too, the CPS is not the same as the percentage of cancer cells that are positive.

## Why the score matters

- In large studies of people with HER2-negative advanced stomach cancer, adding immunotherapy to chemotherapy helped people live longer on average. The benefit was clearest when the CPS was higher.
- When the CPS is low, especially below 1, the benefit in studies was small or uncertain. Regulators and guideline panels have narrowed their advice over time, and immunotherapy is now aimed mainly at people whose scores are above a set cut-off.
- The cut-off depends on the drug and the country. Scores of 1, 5 and 10 are all used. In the UK and Europe, for example, nivolumab with chemotherapy is generally used when the CPS is 5 or more.
- For HER2-positive cancer, pembrolizumab may be added to trastuzumab and chemotherapy, mainly when the CPS is 1 or more.
- If your cancer is **MSI-high**, immunotherapy tends to work well whatever the CPS.

### Things that can affect the result

- Different labs may use different test kits, and some drugs were studied with a slightly different scoring method.
- PD-L1 can be patchy, so a small biopsy may not reflect the whole tumour.
- The score can change over time or after treatment.
- It is a guide, not a guarantee. Some people with low scores respond, and some with high scores do not.

## Where CPS fits with other tests

Your team will look at PD-L1 alongside **HER2**, **Claudin 18.2** and **MSI or mismatch repair** status. If your cancer is HER2-negative and Claudin 18.2-positive, **zolbetuximab** with chemotherapy is another option. When a cancer qualifies for both zolbetuximab and immunotherapy, there is no single right answer yet, and your team will talk through the trade-offs with you.

## Side effects of immunotherapy

Because these drugs release a brake on the immune system, it can sometimes attack healthy parts of the body. Possible effects include tiredness, rash, diarrhoea, and problems with the thyroid, liver or lungs. They can start weeks or even months after treatment begins. Tell your team promptly about any new symptom, as most are easier to treat when caught early.

## Important context

A PD-L1 score is one piece of a bigger picture. Your general health, other test results and your own wishes all shape the plan. Ask your team for your exact CPS, which test was used, and how it affects the options open to you.

*This page is general information to help you talk with your care team. It is not advice about your own treatment.*
""",
        "questions": [
            "What is my PD-L1 CPS, and which test was used to measure it?",
            "Does my score mean immunotherapy is likely to help me?",
            "Which immunotherapy drug would you suggest, and is it available where I am treated?",
            "Has my cancer also been tested for HER2, Claudin 18.2 and MSI?",
            "Which side effects should I report straight away, and who should I call?",
            "Would a new biopsy change my score or my options?",
        ],
        "resources": [
            {
                "name": "Cancer Research UK: immunotherapy",
                "url": "https://www.cancerresearchuk.org/about-cancer/treatment/immunotherapy",
                "note": "How checkpoint inhibitors work and the side effects to look out for.",
            },
            {
                "name": "American Cancer Society: immunotherapy for stomach cancer",
                "url": "https://www.cancer.org/cancer/types/stomach-cancer/treating/immunotherapy.html",
                "note": "A plain guide to the immunotherapy drugs used for stomach cancer.",
            },
        ],
        "sources": [
            {
                "title": "NCCN Clinical Practice Guidelines in Oncology: Gastric Cancer",
                "publisher": "National Comprehensive Cancer Network",
                "url": "https://www.nccn.org/guidelines/guidelines-detail?category=1&id=1434",
                "guideline_version": "Version 2.2026",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": (
                    "Nivolumab with platinum- and fluoropyrimidine-based chemotherapy for untreated HER2-negative "
                    "advanced gastric, gastro-oesophageal junction or oesophageal adenocarcinoma (TA857)"
                ),
                "publisher": "National Institute for Health and Care Excellence",
                "url": "https://www.nice.org.uk/guidance/ta857",
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": "Gastric Cancer: ESMO Clinical Practice Guideline",
                "publisher": "European Society for Medical Oncology",
                "url": "https://www.esmo.org/guidelines/guidelines-by-topic/gastrointestinal-cancers/gastric-cancer",
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
        ],
        "related": [
            "what-does-her2-positive-mean-for-stomach-cancer-treatment",
            "how-does-car-t-cell-therapy-work-for-stomach-cancer",
            "what-does-msi-high-mean-for-bowel-cancer",
        ],
        "featured": False,
    },
    {
        "slug": "what-is-the-difference-between-her2-positive-and-triple-negative-breast-cancer",
        "cancer_type": "breast-cancer",
        "topics": ["biomarker-testing", "targeted-therapy", "immunotherapy"],
        "title": "What is the difference between HER2-positive and triple-negative breast cancer?",
        "summary": (
            "HER2-positive and triple-negative breast cancers differ in the receptors on their cells. Here is what "
            "that means for treatment and outlook."
        ),
        "byline": "Navis AI",
        "how_made": "ai_drafted",
        "body": """
The difference lies in what is on the surface of the cancer cells. **HER2-positive** breast cancer has too much of a growth protein called HER2, so it can be treated with drugs that target HER2. **Triple-negative** breast cancer has none of the three receptors that doctors routinely test for, so hormone therapy and standard HER2 drugs do not work. Treatment relies on chemotherapy and, for many people, immunotherapy and other newer drugs.

## The three receptor tests

Every invasive breast cancer is tested for three markers:

- **Oestrogen receptor (ER)**, which tells your team whether hormone therapy could help
- **Progesterone receptor (PR)**, which adds detail to the hormone picture
- **HER2**, which tells your team whether HER2-targeted drugs could help

Your results are usually written as positive or negative for each one.

## HER2-positive breast cancer

In studies, roughly 1 in 5 or fewer breast cancers are HER2-positive. They can also be hormone receptor-positive or negative. Without treatment, these cancers tend to grow faster, but HER2-targeted drugs have greatly improved the outlook.

Treatment often includes:

1. **Chemotherapy with HER2 drugs.** Trastuzumab, often with pertuzumab, is given alongside chemotherapy. For larger cancers or those that have reached the lymph nodes, this is often given before surgery.
2. **Surgery.** The cancer is removed once it has shrunk.
3. **Further HER2 treatment.** If no cancer is left at surgery, HER2 treatment usually continues to complete about a year. If some cancer remains, switching to **trastuzumab emtansine** lowered the chance of it coming back in studies.
4. **Hormone therapy**, for cancers that are also hormone receptor-positive.

Very small cancers that have not spread to the nodes may be treated with a lighter chemotherapy plan plus trastuzumab. HER2 drugs can affect the heart, so you will have heart checks during treatment.

## Triple-negative breast cancer

In studies, about 10 to 15 in every 100 breast cancers are triple-negative. It is more common in younger women, in Black women, and in people who carry an inherited change in the **BRCA1** gene. It often grows quickly. If it comes back, this is most likely in the first few years after treatment, and the risk falls after that.

Treatment often includes:

1. **Chemotherapy**, frequently given before surgery.
2. **Immunotherapy.** For many people with stage 2 or 3 cancer, **pembrolizumab** is added to chemotherapy before surgery and continued afterwards. In studies, this meant more cancers disappeared by the time of surgery and fewer came back.
3. **Surgery**, to remove what is left of the cancer.
4. **Extra treatment if cancer remains.** Options include the chemotherapy tablet **capecitabine**, or **olaparib** for people with an inherited BRCA change.

Many guidelines recommend offering genetic testing to people with triple-negative breast cancer, especially if they are diagnosed at a younger age.

### If either type has spread

HER2-positive cancer that has spread is usually treated with a series of HER2-targeted treatments, including **trastuzumab deruxtecan**. For triple-negative cancer, options include chemotherapy, pembrolizumab when PD-L1 levels are high enough, the antibody-drug conjugate **sacituzumab govitecan**, and PARP inhibitors for people with a BRCA change.

## A note on HER2-low

Many cancers once called simply HER2-negative have small amounts of HER2. These are called **HER2-low**. They are not HER2-positive, and drugs such as trastuzumab do not help them, but trastuzumab deruxtecan can be an option if the cancer has spread. A triple-negative cancer can also be HER2-low.

## Important context

Both types are treated with the aim of cure when found early, and many people do well. Your receptor results, stage, general health and preferences all shape your plan. Ask your team to walk you through your own pathology report.

*This page is general information to help you talk with your care team. It is not advice about your own treatment.*
""",
        "questions": [
            "What are my ER, PR and HER2 results, and what do they mean for my treatment?",
            "Is my cancer HER2-low, and could that matter now or in the future?",
            "Would you recommend treatment before surgery, and why?",
            "Should I be offered genetic testing, and how would the result affect my care?",
            "What side effects should I watch for with the drugs you are recommending?",
            "What happens next if some cancer is still there at the time of surgery?",
        ],
        "resources": [
            {
                "name": "Breast Cancer Now",
                "url": "https://breastcancernow.org/",
                "note": "UK charity with clear guides to breast cancer types, treatments and a free helpline.",
            },
            {
                "name": "American Cancer Society: breast cancer HER2 status",
                "url": (
                    "https://www.cancer.org/cancer/types/breast-cancer/understanding-a-breast-cancer-diagnosis/"
                    "breast-cancer-her2-status.html"
                ),
                "note": "Explains HER2 testing, including HER2-low results.",
            },
        ],
        "sources": [
            {
                "title": "NCCN Clinical Practice Guidelines in Oncology: Breast Cancer",
                "publisher": "National Comprehensive Cancer Network",
                "url": "https://www.nccn.org/guidelines/guidelines-detail?category=1&id=1419",
                "guideline_version": "Version 5.2026",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": "Early and locally advanced breast cancer: diagnosis and management (NG101)",
                "publisher": "National Institute for Health and Care Excellence",
                "url": "https://www.nice.org.uk/guidance/ng101",
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": "Triple-negative Breast Cancer",
                "publisher": "American Cancer Society",
                "url": (
                    "https://www.cancer.org/cancer/types/breast-cancer/about/types-of-breast-cancer/"
                    "triple-negative.html"
                ),
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": "Breast Cancer Treatment (PDQ), Patient Version",
                "publisher": "National Cancer Institute",
                "url": "https://www.cancer.gov/types/breast/patient/breast-treatment-pdq",
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
        ],
        "related": [
            "what-happens-during-a-breast-cancer-sentinel-lymph-node-biopsy",
            "what-does-her2-positive-mean-for-stomach-cancer-treatment",
        ],
        "featured": True,
    },
    {
        "slug": "what-happens-during-a-breast-cancer-sentinel-lymph-node-biopsy",
        "cancer_type": "breast-cancer",
        "topics": ["surgery", "diagnosis-and-staging", "recovery-and-side-effects"],
        "title": "What happens during a breast cancer sentinel lymph node biopsy?",
        "summary": (
            "A sentinel lymph node biopsy removes the first few armpit lymph nodes to check for spread. Here is what "
            "happens, recovery and results."
        ),
        "byline": "Dr Priya Raman",
        "how_made": "staff_written",
        "body": """
A **sentinel lymph node biopsy** is a small operation to find and remove the first lymph node or nodes that breast cancer would be most likely to reach, usually in the armpit. It is normally done at the same time as your breast surgery. It tells your team whether the cancer has spread to the lymph nodes without removing all of them.

## Why it is done

Fluid from the breast drains through small channels to lymph nodes, mostly in the armpit. The first nodes it reaches are called **sentinel nodes**. If they are clear of cancer, the nodes beyond them are very likely to be clear too.

This test is offered when examination and an ultrasound scan of your armpit show no signs of spread. If a needle biopsy has already found cancer in a node, your team may suggest a different approach.

## What happens, step by step

1. **Tracer injection.** Before or during surgery, a substance called a **tracer** is injected into the breast, often near the nipple. It may be a low-dose radioactive liquid, a **magnetic tracer**, a **blue dye**, or a combination. The radioactive tracer is usually given a few hours or the day before surgery, and the magnetic tracer can be given days beforehand. The injection may sting briefly.
2. **Anaesthetic.** You will usually have a general anaesthetic, so you are asleep throughout.
3. **Finding the nodes.** The surgeon makes a small cut in the armpit and uses a handheld probe to detect the tracer, along with looking for nodes stained blue.
4. **Removing them.** Only the nodes that have picked up the tracer are taken out, usually a small number, often between one and four.
5. **Checking them.** A pathologist examines the nodes under a microscope. Results usually take one to two weeks, although some hospitals test the nodes during the operation.
6. **Going home.** Many people go home the same day or the next day, depending on the breast surgery they have had.

## Recovery and side effects

- **Soreness and bruising** in the armpit are common for a week or two. Simple painkillers usually help.
- **Numbness or tingling** in the armpit or inner upper arm can happen if small nerves are disturbed. It often improves over several months.
- **Seroma** is a build-up of fluid under the scar. It usually settles, but a nurse may drain it with a fine needle.
- **Cording** feels like tight cords running under the skin of the arm. Gentle stretching and physiotherapy usually help.
- **Blue dye effects** include blue-green urine for a day or two and a blue tinge to the breast skin that can last for months. Allergic reactions are rare, and your team will be ready to treat one.
- **Magnetic tracer effects** include a brownish mark on the breast that can last a long time. It can affect future MRI scans, so tell the MRI team you have had it.
- **Lymphoedema**, or arm swelling, is much less likely than after removing all the armpit nodes, but the risk is not zero. Learn the early signs and keep up the arm exercises you are given.

## What the results mean

- **No cancer found.** Usually no more armpit surgery is needed.
- **Tiny amounts of cancer.** Very small deposits often need no further surgery.
- **Cancer found.** Options depend on how much is found, the type of breast surgery and your other treatments. You may need nothing more, radiotherapy to the armpit, or an operation to remove more nodes. Fewer people need that larger operation than in the past.

## Special situations

- If you have chemotherapy before surgery, the timing and technique may differ, and a small marker may be placed in a node beforehand.
- Some older people with small, low-risk, hormone receptor-positive cancers may be able to skip this test altogether. It is worth asking whether this applies to you.

## Important context

This is a common, well-established procedure, and most people recover quickly. Your surgical team will explain which tracer they use and what to expect in your hospital.

*This page is general information to help you talk with your care team. It is not advice about your own treatment.*
""",
        "questions": [
            "Which tracer will you use, and when will it be injected?",
            "Will the sentinel node biopsy be done at the same time as my breast surgery?",
            "How many nodes do you expect to remove?",
            "When will I get the results, and who will explain them to me?",
            "What would happen next if cancer is found in the nodes?",
            "What are the early signs of lymphoedema, and who should I contact if I notice them?",
        ],
        "resources": [
            {
                "name": "Breast Cancer Now: lymph node surgery",
                "url": (
                    "https://breastcancernow.org/about-breast-cancer/treatment/surgery/lymph-node-surgery-breast-cancer"
                ),
                "note": "What to expect from armpit surgery, with advice on exercises and lymphoedema.",
            },
            {
                "name": "Macmillan Cancer Support",
                "url": "https://www.macmillan.org.uk/cancer-information-and-support/breast-cancer",
                "note": "UK guides to breast cancer treatment, plus practical and emotional support.",
            },
        ],
        "sources": [
            {
                "title": "Sentinel Lymph Node Biopsy",
                "publisher": "National Cancer Institute",
                "url": "https://www.cancer.gov/about-cancer/diagnosis-staging/staging/sentinel-node-biopsy-fact-sheet",
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": "Lymph Node Surgery for Breast Cancer",
                "publisher": "American Cancer Society",
                "url": (
                    "https://www.cancer.org/cancer/types/breast-cancer/treatment/surgery-for-breast-cancer/"
                    "lymph-node-surgery-for-breast-cancer.html"
                ),
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": "Early and locally advanced breast cancer: diagnosis and management (NG101)",
                "publisher": "National Institute for Health and Care Excellence",
                "url": "https://www.nice.org.uk/guidance/ng101",
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
        ],
        "related": [
            "what-is-the-difference-between-her2-positive-and-triple-negative-breast-cancer",
        ],
        "featured": False,
    },
    {
        "slug": "what-does-msi-high-mean-for-bowel-cancer",
        "cancer_type": "bowel-cancer",
        "topics": ["biomarker-testing", "immunotherapy", "clinical-trials"],
        "title": "What does MSI-high mean for bowel cancer?",
        "summary": (
            "MSI-high bowel cancer cannot repair some DNA copying errors. It affects chemotherapy choices, can point "
            "to Lynch syndrome and often responds to immunotherapy."
        ),
        "byline": "Navis AI",
        "how_made": "ai_drafted",
        "body": """
**MSI-high** (microsatellite instability-high) means the cancer cells have lost the ability to fix certain mistakes made when they copy their DNA. It matters for three reasons: it can change whether chemotherapy is recommended after surgery for early-stage cancer, it can be a sign of an inherited condition called **Lynch syndrome**, and when the cancer has spread, it often responds well to **immunotherapy**.

## What MSI-high and dMMR mean

Cells have a **mismatch repair (MMR)** system, a team of proteins that checks DNA for copying errors. When this system fails, the cancer is called **mismatch repair deficient (dMMR)**. Errors then pile up, especially in short repeated stretches of DNA called **microsatellites**, which is what MSI-high describes. dMMR and MSI-high are two ways of measuring the same problem, and doctors often use the terms interchangeably.

All those extra mutations make the cancer cells look more foreign to the immune system, which helps explain why immunotherapy can work so well.

In large studies, about 15 in every 100 bowel cancers found at an early stage are MSI-high, but only around 4 or 5 in every 100 of those that have spread.

## How it is tested

1. **Tissue sample.** The test uses tissue from your biopsy or operation.
2. **Checking the repair proteins.** A stain shows whether four repair proteins, called MLH1, MSH2, MSH6 and PMS2, are present. If one or more is missing, the cancer is dMMR.
3. **Or checking the DNA.** Some labs test the DNA for instability directly, either on its own or as part of a wider genetic panel.
4. **Follow-up tests.** If MLH1 is missing, further tests on the tumour help show whether the change is likely to be inherited.

Guidelines in the UK and US recommend this test for everyone diagnosed with bowel cancer.

## Lynch syndrome

Most MSI-high bowel cancers are not inherited. They happen when the MLH1 gene is switched off inside the tumour, which is more common as people get older. Some, however, are caused by **Lynch syndrome**, an inherited change in a mismatch repair gene. It raises the risk of bowel, womb and several other cancers.

If your results suggest Lynch syndrome, you should be offered a referral for genetic testing. If it is confirmed, relatives can be tested too, and those who carry it can have regular colonoscopies and other checks to catch problems early.

## What it means for treatment

### Stage 2 bowel cancer

MSI-high stage 2 cancers tend to have a lower risk of coming back. Many people do not need chemotherapy after surgery, and fluoropyrimidine chemotherapy on its own does not seem to help this group.

### Stage 3 bowel cancer

Chemotherapy after surgery, usually including oxaliplatin, is still generally recommended. Adding immunotherapy after surgery has shown encouraging results in a large trial, but it is not yet standard everywhere.

### Rectal cancer

In small studies, immunotherapy given on its own before surgery made dMMR rectal cancers disappear in many participants, and some avoided surgery and radiotherapy. This approach is offered at some specialist centres and in trials, and longer follow-up is still under way.

### Cancer that has spread

- **Pembrolizumab** is often the first treatment. In studies, it kept the cancer under control for longer than chemotherapy and caused fewer serious side effects.
- **Nivolumab with ipilimumab** is another option in some countries.
- Some people have long-lasting responses, but not everyone responds, and some cancers keep growing despite treatment.

## Side effects of immunotherapy

Immunotherapy can make the immune system attack healthy organs. Diarrhoea or tummy pain can be a sign of bowel inflammation (colitis), and other effects include rash, tiredness and thyroid problems. Report new symptoms promptly, even months after starting.

## Important context

An MSI-high result is one of the most useful facts your team can know about your cancer. Ask for your result in writing, and ask what it means for you and for your family.

*This page is general information to help you talk with your care team. It is not advice about your own treatment.*
""",
        "questions": [
            "Has my cancer been tested for MSI or mismatch repair, and what was the result?",
            "Does my result suggest I might have Lynch syndrome, and should I see a genetics team?",
            "Do I need chemotherapy after surgery, given my MSI result and stage?",
            "Is immunotherapy an option for me now, or in a clinical trial?",
            "If I have rectal cancer, could immunotherapy before surgery be considered?",
            "Which side effects of immunotherapy should I report straight away?",
        ],
        "resources": [
            {
                "name": "Bowel Cancer UK",
                "url": "https://www.bowelcanceruk.org.uk/",
                "note": "UK charity with guides to bowel cancer tests, treatment and Lynch syndrome.",
            },
            {
                "name": "Lynch Syndrome UK",
                "url": "https://www.lynch-syndrome-uk.org/",
                "note": "Support and information for people and families affected by Lynch syndrome.",
            },
            {
                "name": "ClinicalTrials.gov",
                "url": "https://clinicaltrials.gov/search?cond=Colorectal%20Cancer&term=MSI-high",
                "note": "Search for immunotherapy trials for MSI-high or dMMR bowel cancer.",
            },
        ],
        "sources": [
            {
                "title": "NCCN Clinical Practice Guidelines in Oncology: Colon Cancer",
                "publisher": "National Comprehensive Cancer Network",
                "url": "https://www.nccn.org/guidelines/guidelines-detail?category=1&id=1428",
                "guideline_version": "Version 4.2026",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": "Molecular testing strategies for Lynch syndrome in people with colorectal cancer (DG27)",
                "publisher": "National Institute for Health and Care Excellence",
                "url": "https://www.nice.org.uk/guidance/dg27",
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": "Immunotherapy for Colorectal Cancer",
                "publisher": "American Cancer Society",
                "url": "https://www.cancer.org/cancer/types/colon-rectal-cancer/treating/immunotherapy.html",
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
        ],
        "related": [
            "what-should-i-expect-from-bowel-cancer-surgery-recovery",
            "what-is-pd-l1-cps-and-why-does-it-matter-in-stomach-cancer",
        ],
        "featured": True,
    },
    {
        "slug": "what-should-i-expect-from-bowel-cancer-surgery-recovery",
        "cancer_type": "bowel-cancer",
        "topics": ["surgery", "recovery-and-side-effects"],
        "title": "What should I expect from bowel cancer surgery recovery?",
        "summary": (
            "Recovery from bowel cancer surgery usually means a few days in hospital, then weeks of gradual healing "
            "at home. Here is what to expect."
        ),
        "byline": "Dr Priya Raman",
        "how_made": "staff_written",
        "body": """
Most people spend somewhere between a few days and about a week in hospital after bowel cancer surgery, then carry on recovering at home over the following weeks. Tiredness and changes in bowel habits are common. It often takes a few months to feel fully yourself again, and longer after rectal surgery or if there are complications.

## Before surgery

Most hospitals use an **enhanced recovery programme**, a set of steps designed to help you heal faster. You may be asked to stay active, stop smoking, eat well and drink special carbohydrate drinks before the operation. If there is a chance you will need a **stoma**, an opening on the tummy where waste leaves the body into a bag, a specialist stoma nurse will meet you beforehand and mark the best place for it.

## In hospital, step by step

1. **Waking up.** You may have a drip, a tube to drain urine and pain relief through an epidural, a spinal injection, a pump you control, or tablets.
2. **Eating and drinking.** Most people can sip fluids within hours and start light food soon after, often the same or the next day.
3. **Moving.** Sitting in a chair and walking short distances early on lowers the risk of blood clots and chest infections and helps your bowel wake up.
4. **Bowels restarting.** Passing wind is a good sign. Sometimes the bowel is slow to start working again, which can cause bloating and sickness. This usually settles with time.
5. **Learning stoma care**, if you have one, with support from the stoma nurse.
6. **Going home**, once you are eating, moving about, your pain is controlled with tablets and your bowel or stoma is working. Many people are given blood-thinning injections to use at home for a few weeks.

## The first weeks at home

- **Tiredness** is normal. Rest when you need to, and build up your walking a little each day.
- **Lifting.** Avoid heavy lifting for several weeks to protect your wound and lower the risk of a hernia, especially if you have a stoma. Ask your team how long to wait.
- **Eating.** Small, frequent meals are often easier at first. With an ileostomy, chew well, drink plenty and go carefully with very high-fibre foods early on.
- **Driving.** Wait until you can wear a seatbelt comfortably and do an emergency stop. Check with your insurer too.
- **Work.** This depends on your job. Many people with desk-based jobs return after several weeks.
- **Sex and relationships.** Rectal surgery can sometimes affect erections or cause vaginal dryness. Help is available, so mention it to your team.

## Changes to your bowel habits

After colon surgery, bowel habits usually settle within weeks to months. After rectal surgery, many people have **low anterior resection syndrome**: frequent or urgent bowel movements, several trips to the toilet in a short time, or trouble holding in wind. It often improves over the first year or two. Pelvic floor exercises, changes to diet, medicines and specialist nurses can all help. If you have a temporary stoma, these changes may begin after it is reversed.

## Warning signs: contact your team urgently

- A high temperature or shivering
- Tummy pain that is getting worse rather than better
- A fast heartbeat or feeling suddenly very unwell
- A wound that is red, hot, swollen or leaking pus
- Vomiting, a swollen tummy, or no wind, poo or stoma output
- Very watery stoma output with dizziness or dark urine
- A painful, swollen calf, chest pain or sudden breathlessness, for which you should call emergency services

These can be signs of an infection, a leak where the bowel was joined, a blockage or a blood clot. Getting help quickly makes a real difference.

## What comes next

Your team will usually have the results from the removed tissue within two to three weeks. They will discuss whether you need further treatment such as chemotherapy, which normally starts once you have recovered from surgery. You will also be given a follow-up plan, which may include scans, blood tests and colonoscopies.

## Important context

Everyone recovers at a different pace. Your age, general health, the type of operation and any complications all play a part. Your surgical team and specialist nurses are there to help, so ask them whenever something worries you.

*This page is general information to help you talk with your care team. It is not advice about your own treatment.*
""",
        "questions": [
            "What type of operation am I having, and will it be keyhole, robotic or open surgery?",
            "Is there a chance I will need a stoma, and would it be temporary or permanent?",
            "How long do you expect me to stay in hospital?",
            "Which warning signs should I look out for at home, and who do I call, day or night?",
            "When can I drive, lift things and go back to work?",
            "When will I get my results, and how will you decide whether I need chemotherapy?",
        ],
        "resources": [
            {
                "name": "Bowel Cancer UK: surgery",
                "url": "https://www.bowelcanceruk.org.uk/about-bowel-cancer/treatment/surgery/",
                "note": "What to expect before and after bowel cancer surgery, including stomas.",
            },
            {
                "name": "Colostomy UK",
                "url": "https://www.colostomyuk.org/",
                "note": "Support for anyone living with a stoma, including a helpline run by people who have one.",
            },
            {
                "name": "NHS: bowel cancer treatment",
                "url": "https://www.nhs.uk/conditions/bowel-cancer/treatment/",
                "note": "An overview of surgery and other treatments for bowel cancer in the UK.",
            },
        ],
        "sources": [
            {
                "title": "Colorectal cancer (NG151)",
                "publisher": "National Institute for Health and Care Excellence",
                "url": "https://www.nice.org.uk/guidance/ng151",
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": "Colon Cancer Surgery",
                "publisher": "American Cancer Society",
                "url": "https://www.cancer.org/cancer/types/colon-rectal-cancer/treating/colon-surgery.html",
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
            {
                "title": "Surgery for bowel cancer",
                "publisher": "Cancer Research UK",
                "url": "https://www.cancerresearchuk.org/about-cancer/bowel-cancer/treatment/surgery",
                "guideline_version": "",
                "accessed_on": ACCESSED_ON,
            },
        ],
        "related": [
            "what-does-msi-high-mean-for-bowel-cancer",
        ],
        "featured": False,
    },
]
