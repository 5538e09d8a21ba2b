package io.pgforce.admin.diagnose;

/**
 * The Salesforce API version against Salesforce's retirement schedule: 21.0-30.0 were retired in
 * Summer '25 (calls fail); 31.0-40.0 are deprecated from Summer '27 and retired in Summer '28;
 * below 39.0 there is no Bulk API 2.0, so pgforce writes everything over SOAP.
 */
final class ApiVersion {

    static final double RETIRED_BELOW = 31.0;
    static final double DEPRECATED_UP_TO = 40.0;
    static final double BULK_FROM = 39.0;

    private ApiVersion() {
    }

    static Check check(String version) {
        double v = Double.parseDouble(version);
        String action = "Set api_version to a current version (62.0 or later) in the mapping file";
        if (v < RETIRED_BELOW) {
            return Check.red(Check.CONNECTION, "api-version", "API version " + version + " is retired: Salesforce refuses every call made with it", action);
        }
        if (v <= DEPRECATED_UP_TO) {
            String bulk = v < BULK_FROM ? "; below 39.0 there is no Bulk API 2.0, so every change goes over SOAP" : "";
            return Check.yellow(Check.CONNECTION, "api-version", "API version " + version + " is retired by Salesforce in Summer '28" + bulk, action);
        }
        return Check.green(Check.CONNECTION, "api-version", "API version " + version + " is supported");
    }
}
