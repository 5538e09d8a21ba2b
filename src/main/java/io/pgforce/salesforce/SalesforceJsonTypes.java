package io.pgforce.salesforce;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.apache.camel.component.salesforce.api.dto.Limits;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.component.salesforce.api.dto.SObjectDescription;
import org.apache.camel.component.salesforce.api.dto.SObjectField;
import org.apache.camel.component.salesforce.api.dto.bulkv2.ContentTypeEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.Job;
import org.apache.camel.component.salesforce.api.dto.bulkv2.JobStateEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.LineEndingEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.OperationEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.QueryJob;

/**
 * The classes camel-salesforce binds with Jackson for pgforce: the describe it checks mappings
 * against, Bulk 2.0 ingest jobs and the read side's query jobs, /limits (ApiAllocation), and the login and error answers of every call. camel-salesforce is a
 * plain Camel component here (no Camel Quarkus extension registers them), so a native executable
 * can reflect on them only through this registration (NativeRegistrationTest keeps it complete).
 */
@RegisterForReflection(registerFullHierarchy = true,
        targets = {SObjectDescription.class, SObjectField.class, Job.class, QueryJob.class, JobStateEnum.class, ContentTypeEnum.class,
                LineEndingEnum.class, OperationEnum.class, RestError.class, Limits.class, Limits.Usage.class},
        classNames = {"org.apache.camel.component.salesforce.internal.dto.LoginToken",
                "org.apache.camel.component.salesforce.api.dto.Limits$LimitsDeserializer",
                "org.apache.camel.component.salesforce.internal.dto.LoginError",
                "org.apache.camel.component.salesforce.internal.dto.RestErrors"})
final class SalesforceJsonTypes {

    private SalesforceJsonTypes() {
    }
}
