/// How many GPUs a SageMaker `ml.*` instance type has, for `max_gpus_per_job`.
///
/// Sources: Amazon EC2 "Accelerated computing" instance specifications
/// (https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html) — an `ml.` type has the GPUs of the EC2 type
/// of the same name — and the GPU table of the AWS Batch guide "Run GPU jobs"
/// (https://docs.aws.amazon.com/batch/latest/userguide/gpu-jobs.html), against which the g4dn, g5 and g6 rows
/// were checked on 2026-11-30; the p, g6e and gr6 rows follow the EC2 specifications. Trainium (`trn`) and
/// Inferentia (`inf`) accelerators are not GPUs and count 0, as do the CPU families.
/// A `p` or `g` type missing here cannot be counted and breaks the rule.
enum SageMakerInstanceGPUs {
    static let table: [String: Int] = {
        var table: [String: Int] = [
            "ml.p2.xlarge": 1, "ml.p2.8xlarge": 8, "ml.p2.16xlarge": 16,
            "ml.p3.2xlarge": 1, "ml.p3.8xlarge": 4, "ml.p3.16xlarge": 8, "ml.p3dn.24xlarge": 8,
            "ml.p4d.24xlarge": 8, "ml.p4de.24xlarge": 8,
            "ml.p5.4xlarge": 1, "ml.p5.48xlarge": 8, "ml.p5e.48xlarge": 8, "ml.p5en.48xlarge": 8,
            "ml.p6-b200.48xlarge": 8,
            "ml.gr6.4xlarge": 1, "ml.gr6.8xlarge": 1,
        ]
        // g4dn, g5, g6 and g6e share one shape: one GPU up to 16xlarge, four at 12xlarge and 24xlarge, eight at 48xlarge.
        for family in ["g4dn", "g5", "g6", "g6e"] {
            for size in ["xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"] { table["ml.\(family).\(size)"] = 1 }
            table["ml.\(family).12xlarge"] = 4
            if family != "g4dn" {
                table["ml.\(family).24xlarge"] = 4
                table["ml.\(family).48xlarge"] = 8
            }
        }
        return table
    }()

    /// The GPUs of `instanceType`: from the table, 0 for families without GPUs, `nil` for an unknown GPU type.
    static func count(_ instanceType: String) -> Int? {
        if let count = table[instanceType] { return count }
        let parts = instanceType.split(separator: ".")
        guard parts.count == 3, parts[0] == "ml", let family = parts[1].first else { return nil }
        return family == "p" || family == "g" ? nil : 0
    }
}
