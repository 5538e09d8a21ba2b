package io.pgforce.salesforce;

/** Which assignment rule Salesforce runs on inserted Leads and Cases: the default one, or a rule by Id. */
public record AssignmentRule(boolean useDefault, String ruleId) {

    public static AssignmentRule of(String setting) {
        return "default".equals(setting) ? new AssignmentRule(true, null) : new AssignmentRule(false, setting);
    }
}
