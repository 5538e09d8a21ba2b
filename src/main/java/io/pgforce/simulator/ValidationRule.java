package io.pgforce.simulator;

/**
 * A validation rule: when its condition is true for a record being saved, the save fails with
 * FIELD_CUSTOM_VALIDATION_EXCEPTION and the rule's message.
 *
 * @param errorField the field the error is shown on, or null
 */
public record ValidationRule(String name, Expression condition, String message, String errorField) {
}
