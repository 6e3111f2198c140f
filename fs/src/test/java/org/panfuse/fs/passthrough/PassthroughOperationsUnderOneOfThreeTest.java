package org.panfuse.fs.passthrough;

import org.panfuse.fs.lowlevel.MountOptions;

/**
 * Every operation test again, with the source as one of three sources of one
 * mount (one on the root disk, two on tmpfs): the same table and operations
 * serve a view of several sources, with all a single source has.
 */
class PassthroughOperationsUnderOneOfThreeTest extends PassthroughOperationsTest {
    @Override
    MountedSource mountUnderTest() throws Exception {
        return MountedSource.mountAsOneOfThree(PassthroughOptions.defaults(), MountOptions.defaults());
    }
}
