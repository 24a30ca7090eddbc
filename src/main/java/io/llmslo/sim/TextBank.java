package io.llmslo.sim;

import java.util.List;

/**
 * Short prompt/response texts per surface. Good answers are on-topic and complete, mediocre
 * ones on-topic but vague or partial, bad ones off-topic (another topic's answer) or evasive,
 * and refusals refuse: a text-based judge can tell them apart without knowing the level.
 */
final class TextBank {
    private TextBank() { }

    /** One user intent: what was asked, a complete answer and a half-hearted one. */
    record Topic(String prompt, String good, String mediocre) { }

    record Text(String prompt, String response) { }

    private static final List<String> OPENERS = List.of("", "", "Quick question: ", "Hi! ", "Please help: ",
            "I need this for work. ");

    private static final List<String> EVASIVE = List.of(
            "That depends on many factors. You may want to consult the official documentation or an expert.",
            "There are several ways to look at this, and the best choice depends on your situation.",
            "Great question! It is an interesting topic with a lot of nuance. Let me know if you need anything else.",
            "I am not sure about the details here. It might be worth searching online for more information.",
            "As an AI model I can only give general information. Results may vary.",
            "Sure. Here is some information that may or may not be relevant to what you asked.");

    private static final List<String> REFUSALS = List.of(
            "I'm sorry, but I can't help with that request.",
            "I can't assist with this. Is there something else I can help you with?",
            "Sorry, I'm not able to provide that information.",
            "I'm unable to complete this request because it may violate the usage policy.");

    private static final List<String> UNGROUNDED = List.of(
            "The provided documents do not seem relevant, but in general I believe the answer is yes, probably.",
            "Based on general knowledge rather than the sources, it is usually around 30 days, but this may differ.",
            "I could not find this in the context. Most companies handle this case individually.");

    private static final List<Topic> CHAT = List.of(
            t("How do I reverse a list in Python?",
              "Use slicing: reversed_list = my_list[::-1] returns a new list, or call my_list.reverse() to reverse it in place. For lazy iteration use reversed(my_list).",
              "You can reverse lists in Python with some built-in features."),
            t("What's the difference between TCP and UDP?",
              "TCP is connection-oriented: it guarantees ordered, reliable delivery with retransmission and flow control. UDP is connectionless: no delivery or ordering guarantees, but lower latency and overhead, which suits streaming, games and DNS.",
              "TCP and UDP are both network protocols; TCP is more reliable."),
            t("Write a polite email declining a meeting invitation for Thursday.",
              "Subject: Thursday meeting\n\nHi Anna,\nThank you for the invitation. Unfortunately I can't attend on Thursday because of a prior commitment. Could we find another slot next week, or could you share the notes afterwards?\nBest regards,\nTom",
              "Hi, I can't come on Thursday. Thanks."),
            t("Explain what an SLO is in one paragraph.",
              "A service level objective (SLO) is a target for how reliable a service should be, expressed as a ratio of good events to valid events over a time window, for example 99.9% of requests served successfully over 30 days. The gap to 100% is the error budget that teams can spend on change.",
              "An SLO is an objective for service levels that companies use."),
            t("How many minutes should I boil an egg for a soft yolk?",
              "Put the egg into already boiling water and cook it for 6 to 7 minutes, then cool it in cold water for a minute. That gives a set white and a soft, jammy yolk.",
              "Boil it for a few minutes, not too long."),
            t("Translate 'Where is the train station?' into German.",
              "\"Wo ist der Bahnhof?\" is the standard translation; to be more polite say \"Entschuldigung, wo ist der Bahnhof?\"",
              "In German you would ask about the Bahnhof."),
            t("Give me three ideas for a team offsite.",
              "1. A cooking class where teams prepare one course each. 2. A half-day hike followed by a retrospective outdoors. 3. An escape room plus dinner, which works well for mixed-seniority groups.",
              "Maybe do some team building activities somewhere nice."),
            t("What does HTTP status 429 mean and how should a client react?",
              "429 Too Many Requests means the client hit a rate limit. The client should back off, honour the Retry-After header if present, and retry with exponential backoff and jitter instead of retrying immediately.",
              "It is an HTTP error related to requests."),
            t("Summarize the causes of the French Revolution in three bullet points.",
              "- Fiscal crisis: war debts and an unfair tax system left the state bankrupt.\n- Social inequality between the privileged estates and the Third Estate.\n- Enlightenment ideas that challenged absolute monarchy, amplified by food shortages in 1788-89.",
              "- Money problems\n- People were unhappy"),
            t("How can I make my SQL query with a LIKE '%term%' faster?",
              "A leading wildcard prevents a normal B-tree index from being used. Use a full-text index (e.g. PostgreSQL tsvector with GIN) or a trigram index (pg_trgm with GIN), or restructure the search to a prefix match 'term%' that can use an index.",
              "Try adding an index or optimizing the query."),
            t("Is it safe to store passwords with SHA-256?",
              "Not on its own: SHA-256 is fast, so leaked hashes can be brute-forced. Use a slow, salted password hash such as Argon2id, scrypt or bcrypt with a per-user salt and tuned cost parameters.",
              "SHA-256 is a hash function, so it is fairly secure."),
            t("Convert 72 degrees Fahrenheit to Celsius.",
              "72 °F is about 22.2 °C, using C = (F - 32) × 5/9 = 40 × 5/9 ≈ 22.2.",
              "It's somewhere in the low twenties Celsius."),
            t("What's a good name for a bakery that focuses on sourdough?",
              "A few options: \"Wild Rise\", \"The Slow Loaf\", \"Crumb & Crust\", or \"Mother Dough Bakery\" - the last one nods to the sourdough starter.",
              "Something with bread in the name could work."),
            t("Why does my Java program throw ConcurrentModificationException?",
              "You are modifying a collection while iterating over it with a for-each loop. Remove elements through the Iterator (iterator.remove()), use removeIf, collect changes and apply them after the loop, or use a concurrent collection.",
              "This exception happens when something is modified concurrently."),
            t("Draft a short LinkedIn post announcing our new office in Berlin.",
              "We're growing! This month we opened our new office in Berlin-Kreuzberg, our first in Germany. It will host engineering and customer success, and we're hiring for 12 roles. Come say hallo - links to open positions in the comments.",
              "We have a new office in Berlin. Check it out."),
            t("What is the capital of Australia?",
              "The capital of Australia is Canberra, chosen in 1908 as a compromise between Sydney and Melbourne.",
              "The capital is one of the big cities in Australia."),
            t("How do I undo the last git commit but keep my changes?",
              "Run git reset --soft HEAD~1: it removes the last commit and keeps its changes staged. Use git reset HEAD~1 (mixed) to keep them unstaged. If the commit was already pushed, prefer git revert.",
              "You can undo commits with git reset."),
            t("Explain the difference between a median and a mean to a ten-year-old.",
              "The mean is what you get if everyone shares their sweets equally: add them all up and divide by the number of kids. The median is the middle kid's amount when you line everyone up from fewest to most sweets, so one kid with a huge pile doesn't change it much.",
              "The mean and the median are both kinds of averages."),
            t("Recommend a stretching routine for people who sit all day.",
              "Every hour, for five minutes: 1) neck tilts, 30 s per side; 2) chest opener with hands clasped behind the back, 30 s; 3) standing hip-flexor lunge stretch, 30 s per side; 4) seated figure-four for the glutes, 30 s per side; 5) calf raises, 15 reps.",
              "Stretching regularly is good if you sit a lot."),
            t("What are the main differences between Kafka and RabbitMQ?",
              "Kafka is a distributed, partitioned log: consumers track offsets, messages are retained and replayable, and it scales to very high throughput. RabbitMQ is a message broker with queues and flexible routing (exchanges), per-message acknowledgement and deletion after consumption, suited to task queues.",
              "Kafka and RabbitMQ are both messaging systems used in many companies."));

    private static final List<Topic> AGENT = List.of(
            t("Book a meeting room for 6 people tomorrow 14:00-15:00 and invite the design team.",
              "Done. I checked availability, booked room 4B (capacity 8) for tomorrow 14:00-15:00 and sent invitations to the 5 members of the design team. 4 have accepted so far.",
              "I looked at the calendar. Some rooms might be available tomorrow afternoon."),
            t("Find the three slowest endpoints in yesterday's logs and open a ticket for each.",
              "I queried yesterday's access logs. Slowest by p95: /api/search (2.8 s), /api/export (2.1 s), /api/report (1.9 s). I opened PERF-231, PERF-232 and PERF-233 with the latency histograms attached.",
              "I found some slow endpoints in the logs. You may want to open tickets for them."),
            t("Refund order 88213 because the package arrived damaged.",
              "I verified order 88213 (delivered 3 days ago, within the 30-day window), issued a full refund of 59.90 EUR to the original payment method and emailed the customer the confirmation. Refund reference RF-55120.",
              "I looked up the order. A refund might be possible according to the policy."),
            t("Update the README in repo billing-service to document the new RETRY_LIMIT variable, and open a PR.",
              "I added a 'Configuration' entry for RETRY_LIMIT (default 3, max retries for failed payment calls) to README.md in billing-service and opened PR #412 with you as reviewer.",
              "I checked the repository. The README could mention RETRY_LIMIT."),
            t("Compare the prices of our three cloud storage vendors for 50 TB and put them in a sheet.",
              "I pulled current list prices and created the sheet 'Storage 50 TB comparison': Vendor A 1,150 USD/month, Vendor B 1,020 USD/month, Vendor C 1,240 USD/month including egress estimates. Vendor B is cheapest.",
              "Prices for storage vary by vendor; I started collecting some numbers."),
            t("Reschedule my 1:1 with Priya to Friday and tell her why.",
              "I moved your 1:1 with Priya from Wednesday 10:00 to Friday 10:00 (both calendars were free) and sent her a note that you are travelling on Wednesday.",
              "I found the 1:1 with Priya in your calendar."),
            t("Check whether the nightly ETL job succeeded and rerun it if not.",
              "The nightly ETL job failed at 02:13 on a timeout in the 'orders' step. I reran it with the same parameters; it completed at 08:41 and all 14 tables are up to date.",
              "I checked the job scheduler. The ETL job status is unclear."),
            t("Onboard the new hire Lena: create accounts and add her to the right groups.",
              "I created Lena's accounts (email, SSO, GitHub), added her to the groups engineering, backend and on-call-shadow, and sent her the welcome checklist. Laptop provisioning ticket IT-9021 is open.",
              "I started creating some accounts for Lena."),
            t("Triage the 20 newest support tickets and assign them.",
              "I triaged the 20 newest tickets: 9 billing (assigned to Marta), 6 login issues (to the identity team), 3 feature requests (product backlog) and 2 duplicates, which I merged.",
              "I looked at the tickets. Several of them are about billing."),
            t("Plan a 2-day trip to Lyon under 400 EUR and reserve the hotel.",
              "Plan: train Fri 08:04 (78 EUR return), Hôtel des Célestins 2 nights (196 EUR, reserved, free cancellation until Thursday), food and museum pass budget 110 EUR. Total estimate 384 EUR.",
              "Lyon is a nice city. Hotels there are available at various prices."));

    private static final List<Topic> RAG = List.of(
            t("According to our travel policy, what is the daily meal allowance abroad?",
              "The travel policy (section 4.2) sets the meal allowance abroad at 45 EUR per full day and 25 EUR for travel days [doc: travel-policy-2026.pdf].",
              "The travel policy mentions a meal allowance that depends on the trip."),
            t("How many vacation days do part-time employees get?",
              "Per the HR handbook (section 'Leave'), part-time employees get vacation pro rata: 30 days × (contract hours / 40). Someone on 20 hours gets 15 days [doc: hr-handbook.md].",
              "Part-time employees get some vacation days, see the handbook."),
            t("What is the SLA for priority-1 incidents in the enterprise contract?",
              "The enterprise contract (annex B) defines a 30-minute response time and a 4-hour resolution target for priority-1 incidents, 24/7 [doc: enterprise-msa-annex-b.pdf].",
              "Priority-1 incidents have a fast response time in the contract."),
            t("Which regions is the product certified for under ISO 27001?",
              "The ISO 27001 certificate covers the eu-west and us-east regions; ap-south is in audit and expected in Q1 [doc: compliance-overview.md].",
              "The product has ISO 27001 certification in some regions."),
            t("How do I rotate the API key for the payments service?",
              "From the runbook: create a new key in the vault under payments/api-key-next, deploy with KEY_ROTATION=dual, verify traffic on the new key, then revoke the old key after 24 hours [doc: runbook-payments.md].",
              "API keys can be rotated; the runbook has more details."),
            t("What is the return window for electronics?",
              "The returns policy allows electronics to be returned within 14 days of delivery if unopened, or 30 days if defective, with the original receipt [doc: returns-policy.html].",
              "Electronics can be returned within a certain period."),
            t("What does error code E-1042 mean in the device manual?",
              "The device manual lists E-1042 as 'water tank not detected': reseat the tank until it clicks and restart the device. If the error persists, contact support [doc: manual-x200.pdf, p. 37].",
              "E-1042 is an error code described in the manual."),
            t("Who approves purchases above 10,000 EUR?",
              "The procurement policy requires approval by the department head and the CFO for purchases above 10,000 EUR; above 50,000 EUR the board must also approve [doc: procurement-policy.pdf].",
              "Large purchases need approval from management."),
            t("What's the maximum attachment size in the support portal?",
              "The support portal FAQ states a 25 MB limit per attachment and 100 MB per ticket; larger files should be shared via the secure upload link [doc: support-faq.md].",
              "There is a size limit for attachments."),
            t("Which versions of the SDK are still supported?",
              "Per the support matrix, SDK 5.x and 6.x are supported; 4.x reached end of life on 2026-06-30 and receives no security fixes [doc: sdk-support-matrix.md].",
              "Recent SDK versions are supported."),
            t("How is overtime compensated for engineers on call?",
              "The on-call policy pays a flat 250 EUR per on-call week plus 150% of the hourly rate for time spent on incidents outside working hours [doc: oncall-policy.md].",
              "On-call engineers receive some compensation."),
            t("What is the data retention period for customer chat logs?",
              "The data retention schedule keeps customer chat logs for 180 days, after which they are deleted; logs under legal hold are kept until the hold ends [doc: retention-schedule.xlsx].",
              "Chat logs are retained for a while and then deleted."));

    private static final List<Topic> BATCH = List.of(
            t("Summarize the following support ticket in one sentence: 'Customer reports that since the last update the mobile app logs them out every few minutes on Android 14; reinstalling did not help.'",
              "Since the latest update, the Android 14 app repeatedly logs the customer out every few minutes, and reinstalling did not fix it.",
              "The customer has a problem with the app."),
            t("Classify the sentiment of this review as positive, neutral or negative: 'Delivery was fast but the blender broke after two days.'",
              "negative - the product failed after two days, which outweighs the fast delivery.",
              "neutral"),
            t("Extract the invoice number, date and total from: 'Invoice INV-2026-0931, issued 12 Oct 2026, total due 1,249.00 EUR.'",
              "{\"invoice_number\": \"INV-2026-0931\", \"date\": \"2026-10-12\", \"total\": \"1249.00 EUR\"}",
              "{\"invoice_number\": \"INV-2026-0931\"}"),
            t("Translate this product description into Japanese: 'Lightweight waterproof jacket with two zip pockets.'",
              "ジッパー付きポケットが2つある、軽量で防水のジャケットです。",
              "軽いジャケットです。"),
            t("Generate a product title (max 60 characters) for: stainless steel water bottle, 750 ml, keeps drinks cold 24 h.",
              "Stainless Steel Water Bottle 750 ml - Cold for 24 Hours",
              "Water Bottle"),
            t("Tag this news headline with up to three topics: 'Central bank raises interest rates as inflation persists.'",
              "economy, monetary policy, inflation",
              "news"),
            t("Rewrite this sentence in plain language: 'The aforementioned party shall indemnify the counterparty against all losses.'",
              "This party will pay the other party back for any losses.",
              "The party is responsible for some things."),
            t("Detect the language of: 'Wir freuen uns auf Ihren Besuch.'",
              "German (de) - 'We look forward to your visit.'",
              "European language"));

    static Text text(Surface surface, int level, boolean refused, double u1, double u2, double u3) {
        List<Topic> topics = topics(surface);
        int i = index(u1, topics.size());
        Topic topic = topics.get(i);
        String prompt = OPENERS.get(index(u3, OPENERS.size())) + topic.prompt();
        if (refused) {
            return new Text(prompt, REFUSALS.get(index(u2, REFUSALS.size())));
        }
        return switch (level) {
            case QualityModel.GOOD -> new Text(prompt, topic.good());
            case QualityModel.MEDIOCRE -> new Text(prompt, topic.mediocre());
            default -> {
                // Half off-topic (a fluent, confident answer to a different question), half evasive.
                if (u2 < 0.5) {
                    int other = (i + 1 + index(u2 * 2, topics.size() - 1)) % topics.size();
                    yield new Text(prompt, topics.get(other).good());
                }
                List<String> evasive = surface == Surface.RAG && u2 < 0.75 ? UNGROUNDED : EVASIVE;
                yield new Text(prompt, evasive.get(index((u2 - 0.5) * 2, evasive.size())));
            }
        };
    }

    private static List<Topic> topics(Surface s) {
        return switch (s) {
            case CHAT -> CHAT;
            case AGENT -> AGENT;
            case RAG -> RAG;
            case BATCH -> BATCH;
        };
    }

    private static int index(double u, int n) {
        return Math.min(n - 1, (int) (u * n));
    }

    private static Topic t(String prompt, String good, String mediocre) {
        return new Topic(prompt, good, mediocre);
    }
}
