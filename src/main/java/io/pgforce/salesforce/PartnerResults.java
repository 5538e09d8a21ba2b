package io.pgforce.salesforce;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Reads the {@code result} elements of a create/update/upsert/delete response, in call order. */
final class PartnerResults {

    private PartnerResults() {
    }

    static List<RecordResult> read(Element response) {
        List<RecordResult> results = new ArrayList<>();
        for (Element result : children(response, "result")) {
            boolean success = "true".equals(childText(result, "success"));
            String id = childText(result, "id");
            boolean created = "true".equals(childText(result, "created"));
            List<RecordError> errors = new ArrayList<>();
            for (Element error : children(result, "errors")) {
                List<String> fields = children(error, "fields").stream().map(Element::getTextContent).toList();
                errors.add(RecordError.fromSalesforce(childText(error, "statusCode"), childText(error, "message"), fields));
            }
            results.add(new RecordResult(success, id == null || id.isEmpty() ? null : id, created, errors));
        }
        return results;
    }

    static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }

    static String childText(Element parent, String localName) {
        List<Element> found = children(parent, localName);
        return found.isEmpty() ? null : found.get(0).getTextContent();
    }
}
