package dev.caravan.source.faker;

import java.util.Locale;
import java.util.SplittableRandom;

/** The small word lists the generated values are made of. Changing them changes the data of every seed. */
final class Words {
    static final String[] FIRST_NAMES = {
        "Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Sofia", "Mateo",
        "Amelia", "Leo", "Chloe", "Hugo", "Zoe", "Omar", "Aisha", "Kenji", "Yuki", "Priya",
        "Arjun", "Fatima", "Ivan", "Elena", "Marco", "Giulia", "Lars", "Ingrid", "Kwame", "Amara",
        "Diego", "Lucia", "Felix", "Hannah", "Samir", "Layla", "Tomas", "Nora", "Wei", "Mei"
    };
    static final String[] LAST_NAMES = {
        "Smith", "Johnson", "Garcia", "Martin", "Muller", "Rossi", "Dubois", "Silva", "Kim", "Nguyen",
        "Patel", "Khan", "Tanaka", "Sato", "Novak", "Kowalski", "Jensen", "Larsen", "O'Brien", "Murphy",
        "Lopez", "Hernandez", "Moreau", "Bianchi", "Fischer", "Weber", "Cohen", "Mensah", "Okafor", "Chen",
        "Wang", "Singh", "Ivanova", "Petrov", "Costa", "Santos", "Haddad", "Nakamura", "Berg", "Walsh"
    };
    static final String[] FIRST_NAMES_LOWER = emailForms(FIRST_NAMES);
    static final String[] LAST_NAMES_LOWER = emailForms(LAST_NAMES);
    /** Reserved example domains (RFC 2606): the generated addresses can never reach a real mailbox. */
    static final String[] EMAIL_DOMAINS = {"example.com", "example.org", "example.net", "mail.example", "inbox.test"};

    static final String[] STREETS = {
        "Maple Street", "Oak Avenue", "Pine Road", "Cedar Lane", "Elm Street", "Station Road", "High Street",
        "Church Lane", "Mill Road", "Park Avenue", "River Walk", "Harbour Row", "King Street", "Queen's Road",
        "Garden Close", "Bridge Street", "Market Square", "Hill Crescent", "Lake Drive", "Forest Way"
    };
    /** Cities and the country each belongs to, index for index. */
    static final String[] CITIES = {
        "Lyon", "Berlin", "Porto", "Milan", "Krakow", "Utrecht", "Gothenburg", "Dublin", "Austin", "Toronto",
        "Osaka", "Pune", "Nairobi", "Accra", "Curitiba", "Valencia", "Brno", "Aarhus", "Melbourne", "Auckland"
    };
    static final String[] COUNTRIES = {
        "France", "Germany", "Portugal", "Italy", "Poland", "Netherlands", "Sweden", "Ireland", "United States", "Canada",
        "Japan", "India", "Kenya", "Ghana", "Brazil", "Spain", "Czechia", "Denmark", "Australia", "New Zealand"
    };

    static final String[] MAKES = {"Toyota", "Volkswagen", "Ford", "Honda", "Renault", "Hyundai", "Kia", "Skoda", "Volvo", "Tesla"};
    /** The models of each make, index for index with {@link #MAKES}. */
    static final String[][] MODELS = {
        {"Corolla", "Yaris", "RAV4", "Prius", "Camry"},
        {"Golf", "Polo", "Passat", "Tiguan", "ID.3"},
        {"Focus", "Fiesta", "Kuga", "Mustang", "Ranger"},
        {"Civic", "Jazz", "CR-V", "Accord"},
        {"Clio", "Megane", "Captur", "Zoe"},
        {"i10", "i30", "Tucson", "Kona", "Ioniq 5"},
        {"Picanto", "Ceed", "Sportage", "Niro", "EV6"},
        {"Fabia", "Octavia", "Superb", "Kodiaq"},
        {"XC40", "XC60", "V60", "S90"},
        {"Model 3", "Model Y", "Model S"}
    };
    /** At most 63 tags: a product's tags are chosen with a bit mask. */
    static final String[] TAGS = {
        "electric", "hybrid", "diesel", "petrol", "family", "compact", "suv", "sport",
        "automatic", "manual", "4x4", "city", "estate", "used", "new"
    };

    private Words() {
    }

    static String pick(SplittableRandom random, String[] words) {
        return words[random.nextInt(words.length)];
    }

    private static String[] emailForms(String[] names) {
        String[] forms = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            forms[i] = names[i].toLowerCase(Locale.ROOT).replace("'", "");
        }
        return forms;
    }
}
