package org.panfuse.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panfuse.fs.lowlevel.MountOptions;

/**
 * With panfuse running as root and other users let in (allow_other), every
 * request runs as its caller would on the bare directory: each case runs the
 * same shell script as another user (uid, groups, umask) on a bare reference
 * tree and through the mount, and the outputs (exit codes, errors, data) and
 * the resulting trees (owners, groups, modes, ACLs) must be the same.
 */
class CallerCredentialsTest {
    private static MountedSource m;

    /** One case: {@code setup} runs as root in a fresh directory $T of each tree, {@code script} as the user. */
    record Case(String name, String setup, int uid, int gid, String groups, String umask, String script) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("a POSIX ACL entry refuses what the mode allows, another grants what it refuses",
                        "echo public > $T/deny; chmod 644 $T/deny; setfacl -m u:1001:--- $T/deny;"
                                + "echo granted > $T/grant; chmod 600 $T/grant; setfacl -m u:1001:r-- $T/grant",
                        1001, 1001, "", "022",
                        "cat $T/deny; echo rc=$?; cat $T/grant; echo rc=$?; echo x >> $T/grant; echo rc=$?"),
                new Case("a directory's default ACL is applied to what is created in it, and the umask is not",
                        "mkdir $T/inherit; chmod 777 $T/inherit; setfacl -d -m u:1001:rwx,g::r-x,o::--- $T/inherit",
                        1002, 1002, "", "022",
                        "touch $T/inherit/f; mkdir $T/inherit/d; mkfifo $T/inherit/p; mkdir -m 700 $T/inherit/m"),
                new Case("new files and directories take a setgid directory's group, directories its setgid bit",
                        "mkdir $T/sgid; chgrp 2000 $T/sgid; chmod 2777 $T/sgid",
                        1001, 1001, "2000", "022",
                        "touch $T/sgid/f; mkdir $T/sgid/d; mknod $T/sgid/p p; ln -s f $T/sgid/l; stat -c '%n %A %u:%g' $T/sgid/*"),
                new Case("setuid and setgid modes set by a file's owner stay",
                        "mkdir $T/open; chmod 1777 $T/open",
                        1001, 1001, "2000", "022",
                        "touch $T/open/u $T/open/g $T/open/x; chmod 4755 $T/open/u; echo rc=$?; chmod 2755 $T/open/g;"
                                + "chgrp 2000 $T/open/x; chmod 2750 $T/open/x; chgrp 3000 $T/open/x; echo rc=$?;"
                                + "stat -c '%n %a %u:%g' $T/open/*"),
                new Case("what a user creates is theirs, under their umask",
                        "mkdir $T/open; chmod 1777 $T/open",
                        1001, 1001, "", "077",
                        "cd $T/open && touch f && mkdir d && mkfifo p && ln -s f s && ln f h && echo data > w;"
                                + "stat -c '%n %a %u:%g %h' *"),
                new Case("supplementary groups grant access; without them it is refused",
                        "echo g > $T/grp; chgrp 3000 $T/grp; chmod 640 $T/grp; mkdir $T/gdir; chgrp 3000 $T/gdir; chmod 770 $T/gdir",
                        1001, 1001, "3000", "022",
                        "cat $T/grp; echo rc=$?; touch $T/gdir/mine; echo rc=$?; ls -ln $T/gdir | tail -n +2 | cut -c1-30"),
                new Case("without the group, the same requests are refused",
                        "echo g > $T/grp; chgrp 3000 $T/grp; chmod 640 $T/grp; mkdir $T/gdir; chgrp 3000 $T/gdir; chmod 770 $T/gdir",
                        1001, 1001, "", "022",
                        "cat $T/grp; echo rc=$?; touch $T/gdir/mine; echo rc=$?; ls $T/gdir; echo rc=$?"),
                new Case("root's files stay root's: no read, chmod, chown, unlink or rename by another user",
                        "echo secret > $T/secret; chmod 600 $T/secret; mkdir $T/ro; echo x > $T/ro/f; chmod 755 $T/ro",
                        1001, 1001, "", "022",
                        "cat $T/secret; echo rc=$?; chmod 4777 $T/secret; echo rc=$?; chown 1001 $T/secret; echo rc=$?;"
                                + "rm -f $T/ro/f; echo rc=$?; mv $T/ro/f $T/ro/g; echo rc=$?; echo x > $T/ro/new; echo rc=$?;"
                                + "touch -d @0 $T/secret; echo rc=$?; truncate -s 0 $T/ro/f; echo rc=$?"),
                new Case("a sticky directory protects other users' files",
                        "mkdir $T/sticky; chmod 1777 $T/sticky; echo t > $T/sticky/theirs; chown 1002:1002 $T/sticky/theirs",
                        1001, 1001, "", "022",
                        "rm -f $T/sticky/theirs; echo rc=$?; mv $T/sticky/theirs $T/sticky/moved; echo rc=$?;"
                                + "echo mine > $T/sticky/mine; mv $T/sticky/mine $T/sticky/mine2; echo rc=$?"),
                new Case("a write by another user clears setuid and setgid, as it would on the bare file",
                        "echo x > $T/suid; chmod 6777 $T/suid",
                        1001, 1001, "", "022",
                        "echo more >> $T/suid; echo rc=$?; stat -c '%a' $T/suid"),
                new Case("chgrp only to one's own groups; extended attributes as the user may",
                        "mkdir $T/open; chmod 1777 $T/open; echo r > $T/rootfile; setfattr -n trusted.t -v v $T/rootfile;"
                                + "setfattr -n user.u -v v $T/rootfile",
                        1001, 1001, "2000", "022",
                        "touch $T/open/c; chgrp 2000 $T/open/c; echo rc=$?; chgrp 3000 $T/open/c; echo rc=$?;"
                                + "setfattr -n user.k -v v $T/open/c; echo rc=$?; getfattr -n user.k --only-values $T/open/c; echo;"
                                + "getfattr -n trusted.t $T/rootfile; echo rc=$?; setfattr -n user.u -v w $T/rootfile; echo rc=$?;"
                                + "getfattr -n user.u --only-values $T/rootfile; echo"),
                new Case("capabilities held in a user namespace of one's own count for nothing here",
                        "echo secret > $T/f; chmod 644 $T/f; setfattr -n trusted.hidden -v h $T/f;"
                                + "setfattr -n user.visible -v v $T/f; mkdir $T/open; chmod 1777 $T/open",
                        1001, 1001, "", "022",
                        "unshare -Ur sh -c 'cd $T && getfattr -d -m - f; echo rc=$?; chown 0 $T/f; echo rc=$?;"
                                + " touch $T/open/x; echo rc=$?; ls -ln $T/open | tail -n +2 | cut -c1-25'"),
                new Case("O_NOATIME only for the file's owner",
                        "echo x > $T/f; chmod 644 $T/f; mkdir $T/open; chmod 1777 $T/open",
                        1001, 1001, "", "022",
                        "dd if=$T/f of=/dev/null iflag=noatime status=none; echo rc=$?; echo y > $T/open/own;"
                                + "dd if=$T/open/own of=/dev/null iflag=noatime status=none; echo rc=$?"));
    }

    @BeforeAll
    static void mount() throws Exception {
        m = MountedSource.mount(PassthroughOptions.defaults().withDefaultPermissions(true),
                MountOptions.defaults().withAllowOther(true).withDefaultPermissions(true));
        for (Path p : List.of(m.base, m.mountpoint, m.source, m.reference)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @AfterAll
    static void unmount() throws Exception {
        m.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void runsAsTheCallerWouldOnTheBareDirectory(Case c) throws Exception {
        String dir = "case-" + Integer.toHexString(c.name().hashCode());
        for (Path root : List.of(m.reference, m.source)) {
            Path t = Files.createDirectory(root.resolve(dir));
            Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
            Shell.sh(t, Map.of("T", t.toString()), c.setup());
        }
        String expected = asUser(c, m.reference.resolve(dir));
        String actual = asUser(c, m.mnt(dir));
        assertEquals(expected, actual, "what the user saw, bare vs through the mount");
        assertEquals(describe(m.reference.resolve(dir)), describe(m.mnt(dir)), "the tree afterwards");
        assertTrue(!expected.isBlank());
    }

    /**
     * Root without capabilities (a container's root, a hardened service) is
     * held to what its capabilities allow, not to what the server's would.
     */
    @org.junit.jupiter.api.Test
    void rootWithoutCapabilitiesIsNotServedAsTheServer() throws Exception {
        String dir = "case-root-without-capabilities";
        String setup = "echo v > $T/f; setfattr -n trusted.hidden -v h $T/f; setfattr -n user.visible -v v $T/f;"
                + "echo private > $T/p; chown 1002:1002 $T/p; chmod 600 $T/p";
        String script = "cd $T && getfattr -d -m - f; echo rc=$?; cat $T/p; echo rc=$?; chmod 777 $T/p; echo rc=$?";
        List<String> outputs = new java.util.ArrayList<>();
        for (Path root : List.of(m.reference, m.source)) {
            Path t = Files.createDirectory(root.resolve(dir));
            Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
            Shell.sh(t, Map.of("T", t.toString()), setup);
        }
        for (Path t : List.of(m.reference.resolve(dir), m.mnt(dir))) {
            Shell.Result r = Shell.run(Path.of("/"), Map.of("T", t.toString()), "setpriv", "--reuid=0", "--regid=0",
                    "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "sh", "-c", script);
            outputs.add(("exit " + r.exit() + "\n" + r.output()).replace(t.toString(), "$T"));
        }
        assertTrue(outputs.get(0).contains("Permission denied") && !outputs.get(0).contains("trusted."), outputs.get(0));
        assertEquals(outputs.get(0), outputs.get(1), "root without capabilities, bare vs through the mount");
    }

    /** The script's output as the case's user, with the tree's location written as $T. */
    private static String asUser(Case c, Path t) throws Exception {
        String groups = c.groups().isEmpty() ? "--clear-groups" : "--groups=" + c.groups();
        Shell.Result r = Shell.run(Path.of("/"), Map.of("T", t.toString()), "setpriv", "--reuid=" + c.uid(),
                "--regid=" + c.gid(), groups, "--inh-caps=-all", "sh", "-c", "umask " + c.umask() + "; " + c.script());
        return ("exit " + r.exit() + "\n" + r.output()).replace(t.toString(), "$T");
    }

    /** Owner, group, mode and ACL of everything in the tree, as root sees it. */
    private static String describe(Path t) throws Exception {
        return Shell.sh(t, "find . -print0 | sort -z | xargs -0 stat -c '%n %A %u:%g %s' ;"
                + "find . -print0 | sort -z | xargs -0 getfacl -p --skip-base 2>/dev/null; true");
    }
}
