package io.ferry.agent.adapter.libvirt;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/** A libvirt typed-parameter list, built for a call and freed after it. */
final class TypedParams implements AutoCloseable {

    private final PointerByReference params = new PointerByReference();
    private final IntByReference count = new IntByReference(0);
    private final IntByReference capacity = new IntByReference(0);
    /** What was added, for the logs. */
    private final Map<String, Object> added = new LinkedHashMap<>();

    TypedParams add(String name, String value) {
        check(LibvirtNative.LIB.virTypedParamsAddString(params, count, capacity, name, value), name);
        added.put(name, value);
        return this;
    }

    TypedParams add(String name, long value) {
        check(LibvirtNative.LIB.virTypedParamsAddULLong(params, count, capacity, name, value), name);
        added.put(name, value);
        return this;
    }

    TypedParams addInt(String name, int value) {
        check(LibvirtNative.LIB.virTypedParamsAddInt(params, count, capacity, name, value), name);
        added.put(name, value);
        return this;
    }

    Pointer pointer() {
        return params.getValue();
    }

    int count() {
        return count.getValue();
    }

    Map<String, Object> added() {
        return added;
    }

    private static void check(int rc, String name) {
        if (rc < 0) {
            throw new IllegalStateException("cannot add typed parameter " + name + ": "
                    + LibvirtNative.LIB.virGetLastErrorMessage());
        }
    }

    @Override
    public void close() {
        if (params.getValue() != null) {
            LibvirtNative.LIB.virTypedParamsFree(params.getValue(), count.getValue());
        }
    }

    /** Reads an unsigned long parameter from a list libvirt returned. */
    static OptionalLong ulong(Pointer params, int count, String name) {
        LongByReference value = new LongByReference();
        return LibvirtNative.LIB.virTypedParamsGetULLong(params, count, name, value) == 1
                ? OptionalLong.of(value.getValue()) : OptionalLong.empty();
    }

    /** Reads a signed long parameter from a list libvirt returned. */
    static OptionalLong llong(Pointer params, int count, String name) {
        LongByReference value = new LongByReference();
        return LibvirtNative.LIB.virTypedParamsGetLLong(params, count, name, value) == 1
                ? OptionalLong.of(value.getValue()) : OptionalLong.empty();
    }

    /** Reads an int parameter from a list libvirt returned. */
    static OptionalLong integer(Pointer params, int count, String name) {
        IntByReference value = new IntByReference();
        return LibvirtNative.LIB.virTypedParamsGetInt(params, count, name, value) == 1
                ? OptionalLong.of(value.getValue()) : OptionalLong.empty();
    }
}
