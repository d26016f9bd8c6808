package io.ferry.agent.adapter.libvirt;

import com.sun.jna.Pointer;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/** A libvirt-java connection that lends its native handle to {@link LibvirtNative}. */
final class NativeConnect extends Connect {

    NativeConnect(String uri) throws LibvirtException {
        super(uri);
    }

    Pointer pointer() {
        return vcp.getPointer();
    }
}
