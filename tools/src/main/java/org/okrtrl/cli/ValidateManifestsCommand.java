package org.okrtrl.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.okrtrl.manifests.ManifestValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Offline validation of the Kubernetes manifests. */
@Command(name = "validate-manifests", mixinStandardHelpOptions = true,
        description = "Validate Kubernetes manifests against CRD schemas, the Kubernetes API model and yamllint.")
public final class ValidateManifestsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--crds", defaultValue = "tools/k8s-crds",
            description = "Directory with the CustomResourceDefinitions to check against (YAML; default "
                    + "${DEFAULT-VALUE}, the upstream releases kept in the repository; pass your cluster's own).")
    Path crds;

    @Option(names = "--dir", defaultValue = "k8s", description = "Directory of manifests (default ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--yamllint-config", description = "yamllint configuration (default: .yamllint next to --dir, if any).")
    Path yamllintConfig;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(crds)) {
            throw new UserInputException("--crds: no such directory " + crds);
        }
        if (!Files.isDirectory(dir)) {
            throw new UserInputException("--dir: no such directory " + dir);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<ManifestValidator.Finding> findings = new ManifestValidator(crds).validate(dir);
        findings.forEach(out::println);
        Path config = yamllintConfig;
        if (config == null) {
            Path candidate = dir.toAbsolutePath().getParent().resolve(".yamllint");
            config = Files.isRegularFile(candidate) ? candidate : null;
        }
        List<String> lint = ManifestValidator.yamllint(dir, config);
        lint.forEach(line -> out.println("ERROR yamllint " + line));
        long errors = findings.stream().filter(f -> !f.ok()).count() + lint.size();
        out.println(errors == 0
                ? "all " + findings.size() + " objects valid; yamllint clean"
                : errors + " problem(s) found");
        out.flush();
        return errors == 0 ? 0 : 1;
    }
}
