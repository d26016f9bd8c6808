package io.ferry.scheduler.domain.filter;

import io.ferry.scheduler.domain.host.HostState;
import io.ferry.scheduler.domain.request.RequestSpec;
import java.util.Map;
import java.util.Set;

/**
 * Nova's AggregateInstanceExtraSpecsFilter: every flavor extra spec scoped
 * {@code aggregate_instance_extra_specs:} (or unscoped) must match the metadata of one of the host's
 * aggregates. Values match by equality, or any of {@code <or> a <or> b}, or {@code <in> substring};
 * other operators of Nova's {@code extra_specs_ops} are not supported and never match.
 */
public final class AggregateInstanceExtraSpecsFilter implements HostFilter {

    @Override
    public FilterResult test(HostState host, RequestSpec request) {
        Map<String, String> specs = request.aggregateExtraSpecs();
        if (specs.isEmpty()) {
            return FilterResult.PASS;
        }
        for (Map.Entry<String, String> spec : specs.entrySet()) {
            Set<String> values = host.aggregates().valuesOf(spec.getKey());
            if (values == null) {
                return FilterResult.reject("no aggregate of the host has metadata " + spec.getKey());
            }
            if (!matches(values, spec.getValue())) {
                return FilterResult.reject("aggregate metadata " + spec.getKey() + "=" + values
                        + " does not match " + spec.getValue());
            }
        }
        return FilterResult.PASS;
    }

    static boolean matches(Set<String> values, String requirement) {
        String req = requirement.strip();
        if (req.startsWith("<or>")) {
            for (String option : req.substring(4).split("<or>")) {
                if (values.contains(option.strip())) {
                    return true;
                }
            }
            return false;
        }
        if (req.startsWith("<in>")) {
            String needle = req.substring(4).strip();
            for (String v : values) {
                if (v.contains(needle)) {
                    return true;
                }
            }
            return false;
        }
        if (req.startsWith("s== ")) {
            req = req.substring(4).strip();
        }
        return values.contains(req);
    }
}
