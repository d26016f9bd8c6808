package io.ferry.agent.adapter.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The testbed's memory-dirtying guest kernel is the assembled listing, with the working set's end patched in. */
class DirtyingKernelTest {

    /** {@code as --32} / {@code ld -m elf_i386 --oformat binary} of the listing, writing 2 MiB to 34 MiB. */
    private static final int[] ASSEMBLED_2_TO_34_MIB = {
            0x02, 0xb0, 0xad, 0x1b, 0x00, 0x00, 0x01, 0x00, 0xfe, 0x4f, 0x51, 0xe4,
            0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x10, 0x00, 0xb8, 0x00, 0x00, 0x20,
            0x00, 0xff, 0x00, 0xb9, 0x00, 0x08, 0x00, 0x00, 0x49, 0x75, 0xfd, 0x05,
            0x00, 0x10, 0x00, 0x00, 0x3d, 0x00, 0x00, 0x20, 0x02, 0x72, 0xea, 0xeb,
            0xe3};

    @Test
    void theKernelForA32MibWorkingSetIsTheAssembledOne() {
        byte[] kernel = TwoLibvirtDaemons.dirtyingKernel(34);

        assertThat(kernel).hasSize(ASSEMBLED_2_TO_34_MIB.length);
        for (int i = 0; i < kernel.length; i++) {
            assertThat(kernel[i] & 0xff).as("byte %d", i).isEqualTo(ASSEMBLED_2_TO_34_MIB[i]);
        }
    }

    @Test
    void aLargerWorkingSetOnlyMovesTheEndOfTheLoop() {
        byte[] small = TwoLibvirtDaemons.dirtyingKernel(34);
        byte[] large = TwoLibvirtDaemons.dirtyingKernel(126);

        // cmp $0x7e00000,%eax: the immediate at bytes 53..56, little-endian
        assertThat(new byte[] {large[53], large[54], large[55], large[56]}).containsExactly(0x00, 0x00, 0xe0, 0x07);
        for (int i = 0; i < small.length; i++) {
            if (i < 53 || i > 56) {
                assertThat(large[i]).as("byte %d", i).isEqualTo(small[i]);
            }
        }
    }
}
