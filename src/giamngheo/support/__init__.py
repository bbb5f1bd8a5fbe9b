"""Support delivered (hỗ trợ): the policy catalogue, support records checked against the approved review
results, coverage and gaps, helpers of poor households, and jobs matching."""
