package io.ferry.scheduler.domain.filter;

import io.ferry.scheduler.domain.request.GuestDevice;
import io.ferry.scheduler.domain.request.RequestSpec;
import java.util.Optional;

/**
 * Refuses, before any host is looked at, a request no destination could serve: a guest with PCI
 * passthrough or SR-IOV devices is not live-migratable (issue 5; Nova only later learned to live
 * migrate some SR-IOV ports). The reason names the first such device and suggests cold migration.
 */
public final class LiveMigrationPrecheck {

    private LiveMigrationPrecheck() {
    }

    /** The refusal reason, or empty when the guest may be live migrated. */
    public static Optional<String> refusal(RequestSpec request) {
        for (GuestDevice device : request.devices()) {
            if (!device.kind().liveMigratable()) {
                return Optional.of("instance " + request.instanceUuid() + " is not live-migratable: device '"
                        + device.name() + "' is " + describe(device) + "; cold-migrate it instead");
            }
        }
        return Optional.empty();
    }

    private static String describe(GuestDevice device) {
        return switch (device.kind()) {
            case PCI_PASSTHROUGH -> "a PCI passthrough device";
            case SRIOV_VF -> "an SR-IOV virtual function (vnic_type=direct)";
            case SRIOV_PF -> "an SR-IOV physical function (vnic_type=direct-physical)";
            case VIRTUAL -> "virtual";
        };
    }
}
